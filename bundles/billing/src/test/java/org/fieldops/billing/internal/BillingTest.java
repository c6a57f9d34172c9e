package org.fieldops.billing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.billing.ExportRecord;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceLineKind;
import org.fieldops.api.billing.InvoiceStatus;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.FlatRateTaskRef;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.LineDraft;
import org.fieldops.api.jobs.LineKind;
import org.fieldops.api.jobs.Priority;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.pricebook.FlatRateTaskDraft;
import org.fieldops.api.pricebook.LaborRateDraft;
import org.fieldops.api.pricebook.PartDraft;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.jobs.internal.ChecklistRegistry;
import org.fieldops.jobs.internal.CustomerServiceImpl;
import org.fieldops.jobs.internal.PriceBookServiceImpl;
import org.fieldops.jobs.internal.SiteServiceImpl;
import org.fieldops.jobs.internal.TechnicianServiceImpl;
import org.fieldops.jobs.internal.WorkOrderServiceImpl;
import org.fieldops.spi.accounting.AccountingConnector;
import org.fieldops.spi.accounting.ExportResult;
import org.fieldops.store.UserAccountEntity;
import org.fieldops.store.testing.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * Drafting from completed jobs, the invoice lifecycle with gapless numbers, and the outbox
 * dispatcher against test connectors, on real Derby with the real jobs services.
 */
public class BillingTest {
  static final Caller DISPATCHER = new Caller("dora", Set.of(Role.DISPATCHER));
  static final Caller FINANCE = new Caller("fin", Set.of(Role.FINANCE));
  static final Caller ANNA = new Caller("anna", Set.of(Role.TECHNICIAN));
  static final Instant SLOT = Instant.parse("2026-11-26T09:00:00Z");

  @Rule public final TestDatabase db = new TestDatabase();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  private WorkOrderServiceImpl jobs;
  private CustomerServiceImpl customers;
  private InvoiceServiceImpl billing;
  private String customer;
  private String site;
  private String anna;

  @Before
  public void setUp() {
    Instant now = Instant.now();
    db.inTransaction(
        em -> {
          UserAccountEntity u = new UserAccountEntity();
          u.username = "anna";
          u.passwordHash = "x";
          u.roles = "technician";
          u.createdAt = now;
          u.updatedAt = now;
          u.updatedBy = "test";
          em.persist(u);
          return null;
        });
    anna =
        new TechnicianServiceImpl(db)
            .create(new TechnicianDraft("Anna", "anna", List.of("hvac"), null), DISPATCHER)
            .id();
    customers = new CustomerServiceImpl(db);
    customer =
        customers
            .create(
                new CustomerDraft(
                    "Acme", "1 Main St\nSpringfield", null, new BigDecimal("0.08"), "USD"),
                DISPATCHER)
            .id();
    site =
        new SiteServiceImpl(db)
            .create(new SiteDraft(customer, "1 Main St", null, null, null), DISPATCHER)
            .id();
    PriceBookServiceImpl prices = new PriceBookServiceImpl(db);
    prices.createLaborRate(
        new LaborRateDraft("STD", "Standard hour", new BigDecimal("90.00"), "USD", null), FINANCE);
    prices.createPart(
        new PartDraft("FILTER-20", "Filter 20x20", new BigDecimal("12.50"), "USD", null), FINANCE);
    prices.createPart(
        new PartDraft("EU-VALVE", "Valve (EUR)", new BigDecimal("10.00"), "EUR", null), FINANCE);
    prices.createFlatRateTask(
        new FlatRateTaskDraft(
            "PM-VISIT", "Maintenance visit", new BigDecimal("45.00"), "USD", null),
        FINANCE);
    jobs =
        new WorkOrderServiceImpl(
            db,
            prices,
            new ChecklistRegistry(),
            new WorkOrderServiceImpl.Config() {
              @Override
              public String timezone() {
                return "UTC";
              }

              @Override
              public Class<? extends Annotation> annotationType() {
                return WorkOrderServiceImpl.Config.class;
              }
            });
    billing = new InvoiceServiceImpl(db, jobs, customers, clock, config("test", 3));
  }

  @After
  public void tearDown() {
    billing.deactivate();
  }

  // ---------------------------------------------------------------- drafting

  @Test
  public void aCompletionBecomesADraftWithLaborPartsFlatRateAndTax() {
    String job = completedJob(50, 2);
    assertEquals(1, billing.draftRound());
    Invoice inv = only(job);
    assertEquals(InvoiceStatus.DRAFT, inv.status());
    assertNull(inv.number());
    assertEquals("USD", inv.currency());
    // 50 minutes → 4 started quarters → 1.00 h × 90.00
    assertLine(inv, InvoiceLineKind.LABOR, "1.00", "90.00", "90.00");
    assertLine(inv, InvoiceLineKind.PART, "2", "12.50", "25.00");
    assertLine(inv, InvoiceLineKind.FLAT_RATE, "1", "45.00", "45.00");
    assertEquals(new BigDecimal("160.00"), inv.subtotal());
    assertEquals(new BigDecimal("12.80"), inv.tax());
    assertEquals(new BigDecimal("172.80"), inv.total());
    assertEquals(0, billing.draftRound()); // the request was consumed
  }

  @Test
  public void draftingIsIdempotentUnderRetriesAndRaces() throws Exception {
    String job = completedJob(30, 1);
    Invoice first = billing.draftFor(job);
    assertEquals(first.id(), billing.draftFor(job).id());
    assertEquals(first.version(), billing.draftFor(job).version()); // nothing changed: no write
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> ids = new ArrayList<>();
    String other = completedJob(30, 1);
    for (int i = 0; i < 8; i++) {
      ids.add(
          pool.submit(
              () -> {
                go.await();
                return billing.draftFor(other).id();
              }));
    }
    go.countDown();
    Set<String> distinct = new TreeSet<>();
    for (Future<String> f : ids) {
      distinct.add(f.get());
    }
    pool.shutdown();
    assertEquals(1, distinct.size());
    assertEquals(1, billing.list(null, other, new PageRequest(50, null)).items().size());
  }

  @Test
  public void lateWorkRefreshesTheDraftKeepingAdjustmentsAndAReopenNeverDoubles() {
    String job = completedJob(60, 1);
    billing.draftRound();
    Invoice draft = only(job);
    Invoice adjusted =
        billing.update(
            draft.id(),
            draft.version(),
            Map.of(
                "adjustments",
                List.of(Map.of("description", "Loyalty discount", "unitPrice", "-10.00"))),
            FINANCE);
    assertEquals(new BigDecimal("137.50"), adjusted.subtotal()); // 90 + 12.50 + 45 - 10
    jobs.addLine(job, part("FILTER-20", 3), ANNA);
    billing.draftRound();
    Invoice refreshed = only(job);
    assertEquals(draft.id(), refreshed.id());
    assertEquals(5, refreshed.lines().size());
    assertTrue(refreshed.lines().stream().anyMatch(l -> l.kind() == InvoiceLineKind.ADJUSTMENT));
    assertEquals(new BigDecimal("175.00"), refreshed.subtotal());

    // re-opened and completed again: the same draft, refreshed
    jobs.transition(job, null, JobStatus.DISPATCHED, "forgot the belt", DISPATCHER);
    for (String s : List.of("ON_SITE", "COMPLETED")) {
      jobs.moveByTechnician(job, JobStatus.valueOf(s), ANNA);
    }
    billing.draftRound();
    assertEquals(draft.id(), only(job).id());
  }

  @Test
  public void aPriceInAnotherCurrencyFlagsTheDraft() {
    String job = completedJob(15, 0);
    jobs.addLine(job, part("EU-VALVE", 1), ANNA);
    billing.draftRound();
    assertEquals(List.of("CURRENCY_MISMATCH"), only(job).flags());
  }

  @Test
  public void badAdjustmentsAndStaleVersionsAreRefusedNamingTheField() {
    String job = completedJob(15, 0);
    Invoice d = billing.draftFor(job);
    ValidationException bad =
        assertThrows(
            ValidationException.class,
            () ->
                billing.update(
                    d.id(),
                    d.version(),
                    Map.of("adjustments", List.of(Map.of("description", "x", "unitPrice", "abc"))),
                    FINANCE));
    assertEquals("adjustments[0].unitPrice", bad.errors().get(0).field());
    assertEquals(
        "total",
        assertThrows(
                ValidationException.class,
                () -> billing.update(d.id(), d.version(), Map.of("total", "1"), FINANCE))
            .errors()
            .get(0)
            .field());
    assertThrows(
        VersionMismatchException.class,
        () -> billing.update(d.id(), d.version() + 7, Map.of("adjustments", List.of()), FINANCE));
  }

  // ---------------------------------------------------------------- lifecycle

  @Test
  public void approvalNumbersQueuesTheExportAndMovesTheJob() {
    String job = completedJob(60, 1);
    Invoice d = billing.draftFor(job);
    Invoice approved = billing.approve(d.id(), d.version(), FINANCE);
    assertEquals("INV-000001", approved.number());
    assertEquals(InvoiceStatus.APPROVED, approved.status());
    assertEquals(JobStatus.INVOICED, jobs.get(job).status());
    assertThrows(StateConflictException.class, () -> billing.approve(d.id(), null, FINANCE));
    List<ExportRecord> exports = billing.exports("PENDING", new PageRequest(50, null)).items();
    assertEquals(1, exports.size());
    assertEquals("INV-000001", exports.get(0).invoiceNumber());
    assertEquals("INVOICE", exports.get(0).kind());
    // the office can no longer re-open it; late field work shows as pending lines
    assertThrows(
        StateConflictException.class,
        () -> jobs.transition(job, null, JobStatus.DISPATCHED, "again", DISPATCHER));
    jobs.addLine(job, part("FILTER-20", 1), ANNA);
    billing.draftRound();
    Invoice after = billing.get(d.id());
    assertEquals(approved.lines().size(), after.lines().size());
    assertEquals(1, after.pendingLines().size());
    assertEquals(new BigDecimal("12.50"), after.pendingLines().get(0).amount());

    Invoice sent = billing.send(d.id(), null, FINANCE);
    assertEquals(InvoiceStatus.SENT, sent.status());
    assertEquals(JobStatus.CLOSED, jobs.get(job).status());
    Invoice voided = billing.voidInvoice(d.id(), null, "wrong customer", FINANCE);
    assertEquals(InvoiceStatus.VOID, voided.status());
    assertEquals(
        1,
        billing.exports(null, new PageRequest(50, null)).items().stream()
            .filter(e -> "VOID".equals(e.kind()))
            .count());
  }

  @Test
  public void concurrentApprovalsGetGaplessNumbers() throws Exception {
    List<String> invoices = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      invoices.add(billing.draftFor(completedJob(15, 0)).id());
    }
    // one approval fails inside its transaction: its number must not be lost
    String broken = billing.draftFor(completedJob(15, 0)).id();
    jobs.transition(billing.get(broken).jobId(), null, JobStatus.DISPATCHED, "x", DISPATCHER);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> numbers = new ArrayList<>();
    for (String id : invoices) {
      numbers.add(
          pool.submit(
              () -> {
                go.await();
                return billing.approve(id, null, FINANCE).number();
              }));
    }
    Future<?> failing =
        pool.submit(
            () -> {
              go.await();
              return billing.approve(broken, null, FINANCE);
            });
    go.countDown();
    Set<String> got = new TreeSet<>();
    for (Future<String> f : numbers) {
      got.add(f.get());
    }
    assertThrows(java.util.concurrent.ExecutionException.class, failing::get);
    pool.shutdown();
    Set<String> expected = new TreeSet<>();
    for (int i = 1; i <= 10; i++) {
      expected.add(String.format("INV-%06d", i));
    }
    assertEquals(expected, got);
  }

  // ---------------------------------------------------------------- the outbox dispatcher

  @Test
  public void transientFailuresAreRetriedWithBackoffUntilDone() {
    TestConnector c = new TestConnector();
    c.transientFailures.set(2);
    billing.addConnector(c, Map.of(AccountingConnector.NAME, "test"));
    String number = approvedInvoice();
    billing.dispatchRound();
    ExportRecord failed = export(number);
    assertEquals("FAILED", failed.status());
    assertEquals(1, failed.attempts());
    assertTrue(failed.nextAttemptAt().isAfter(clock.instant().minusMillis(1)));
    assertTrue(
        "full jitter under the cap",
        !failed.nextAttemptAt().isAfter(clock.instant().plusSeconds(1)));
    for (int i = 0; i < 5 && !"DONE".equals(export(number).status()); i++) {
      clock.advance(Duration.ofSeconds(10));
      billing.dispatchRound();
    }
    ExportRecord done = export(number);
    assertEquals("DONE", done.status());
    assertEquals(3, done.attempts());
    assertEquals("ext-" + number, done.externalId());
    assertEquals(1, c.applied.size()); // applied once through the key
    assertEquals(3, c.calls.get());
  }

  @Test
  public void permanentFailureIsDeadUntilRetriedByHand() {
    TestConnector c = new TestConnector();
    c.permanent = true;
    billing.addConnector(c, Map.of(AccountingConnector.NAME, "test"));
    String number = approvedInvoice();
    billing.dispatchRound();
    ExportRecord dead = export(number);
    assertEquals("DEAD", dead.status());
    assertEquals("customer unknown in the ledger", dead.lastError());
    c.permanent = false;
    assertEquals("PENDING", billing.retryExport(dead.id(), FINANCE).status());
    billing.dispatchRound();
    assertEquals("DONE", export(number).status());
    assertThrows(StateConflictException.class, () -> billing.retryExport(dead.id(), FINANCE));
  }

  @Test
  public void exhaustedRetriesAreDead() {
    TestConnector c = new TestConnector();
    c.transientFailures.set(100);
    billing.addConnector(c, Map.of(AccountingConnector.NAME, "test"));
    String number = approvedInvoice();
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofHours(2));
      billing.dispatchRound();
    }
    ExportRecord dead = export(number);
    assertEquals("DEAD", dead.status());
    assertEquals(3, dead.attempts()); // maxAttempts 3 in this test's configuration
  }

  @Test
  public void aSlowConnectorIsCutOffAndRetried() {
    TestConnector c = new TestConnector();
    c.sleep = Duration.ofSeconds(5);
    billing.deactivate();
    billing = new InvoiceServiceImpl(db, jobs, customers, clock, config("test", 3, 1));
    billing.addConnector(c, Map.of(AccountingConnector.NAME, "test"));
    String number = approvedInvoice();
    long started = System.nanoTime();
    billing.dispatchRound();
    assertTrue((System.nanoTime() - started) / 1_000_000 < 4_000);
    ExportRecord slow = export(number);
    assertEquals("FAILED", slow.status());
    assertTrue(slow.lastError(), slow.lastError().contains("no answer within 1 s"));
  }

  @Test
  public void aThrowingConnectorIsATransientFailureShownFailingAndSkippedAfterFiveInARow() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean broken =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    AccountingConnector thrower =
        new AccountingConnector() {
          @Override
          public ExportResult exportInvoice(
              Invoice invoice, org.fieldops.api.master.Customer customer, String key) {
            calls.incrementAndGet();
            if (broken.get()) {
              throw new IllegalStateException("plugin bug");
            }
            return ExportResult.success("ok-" + key);
          }

          @Override
          public ExportResult voidInvoice(
              Invoice invoice, org.fieldops.api.master.Customer customer, String key) {
            return exportInvoice(invoice, customer, key);
          }
        };
    billing.deactivate();
    billing = new InvoiceServiceImpl(db, jobs, customers, clock, config("test", 20));
    billing.addConnector(thrower, Map.of(AccountingConnector.NAME, "test"));
    billing.addConnector(new TestConnector(), Map.of(AccountingConnector.NAME, "other"));
    String number = approvedInvoice();

    billing.dispatchRound();
    ExportRecord failed = export(number);
    assertEquals("FAILED", failed.status());
    assertTrue(failed.lastError(), failed.lastError().contains("plugin bug"));
    org.fieldops.api.platform.PluginInfo info = billing.plugins().get(1);
    assertEquals("test", info.name());
    assertTrue(info.selected());
    assertEquals(org.fieldops.api.platform.PluginState.FAILING, info.state());
    assertTrue(info.lastError(), info.lastError().contains("plugin bug"));
    assertEquals("other", billing.plugins().get(0).name());
    assertEquals(false, billing.plugins().get(0).selected());
    assertEquals(org.fieldops.api.platform.PluginState.ACTIVE, billing.plugins().get(0).state());

    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(60));
      billing.dispatchRound();
    }
    assertEquals(5, calls.get());
    assertEquals(5, export(number).attempts());
    // the breaker is open: a due record waits without using an attempt
    billing.retryExport(export(number).id(), FINANCE);
    billing.dispatchRound();
    assertEquals(5, calls.get());
    assertEquals("PENDING", export(number).status());
    assertTrue(billing.plugins().get(1).openUntil() != null);

    broken.set(false);
    clock.advance(Duration.ofSeconds(61));
    billing.dispatchRound();
    assertEquals("DONE", export(number).status());
    assertEquals(org.fieldops.api.platform.PluginState.ACTIVE, billing.plugins().get(1).state());
  }

  @Test
  public void withoutTheConfiguredConnectorExportsWaitPendingVisibly() {
    String number = approvedInvoice();
    billing.dispatchRound();
    ExportRecord waiting = export(number);
    assertEquals("PENDING", waiting.status());
    assertEquals(0, waiting.attempts());
    assertTrue(waiting.lastError(), waiting.lastError().contains("'test' is installed"));
    assertEquals(false, billing.connectorState().get("installed"));
    TestConnector c = new TestConnector();
    billing.addConnector(c, Map.of(AccountingConnector.NAME, "test"));
    billing.dispatchRound();
    assertEquals("DONE", export(number).status());
  }

  @Test
  public void aCrashBetweenDeliveryAndResultDeliversAgainWithTheSameKeyAppliedOnce() {
    TestConnector c = new TestConnector();
    String number = approvedInvoice();
    Invoice inv =
        billing.list(InvoiceStatus.APPROVED, null, new PageRequest(10, null)).items().get(0);
    // a node claimed the export and delivered it, then died before recording the result
    c.exportInvoice(inv, customers.get(customer), number);
    String id = export(number).id();
    db.inTransaction(
        em -> {
          org.fieldops.store.ExportEntity e = em.find(org.fieldops.store.ExportEntity.class, id);
          e.leaseHolder = "node-that-died";
          e.leaseUntil = clock.instant().plusSeconds(120);
          return null;
        });
    // after the restart: nothing until the dead node's lease ends, then the same key again
    billing.addConnector(c, Map.of(AccountingConnector.NAME, "test"));
    billing.dispatchRound();
    assertEquals("PENDING", export(number).status());
    assertEquals(1, c.calls.get());
    clock.advance(Duration.ofMinutes(3));
    billing.dispatchRound();
    assertEquals("DONE", export(number).status());
    assertEquals(2, c.calls.get());
    assertEquals(Set.of(number), c.applied.keySet()); // applied once in the accounting system
  }

  // ---------------------------------------------------------------- document and money

  @Test
  public void theDocumentIsARealPdfWithTheInvoicesFigures() throws Exception {
    String number = approvedInvoice();
    Invoice inv =
        billing.list(InvoiceStatus.APPROVED, null, new PageRequest(10, null)).items().get(0);
    byte[] pdf = billing.document(inv.id());
    assertEquals("%PDF", new String(pdf, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
    try (PDDocument doc = PDDocument.load(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text, text.contains("Invoice " + number));
      assertTrue(text, text.contains("Acme"));
      assertTrue(text, text.contains(inv.total().toPlainString()));
    }
  }

  @Test
  public void totalsAreTheSumOfRoundedLinesPlusRoundedTaxForRandomLines() {
    java.util.Random random = new java.util.Random(42);
    for (int run = 0; run < 2000; run++) {
      BigDecimal subtotal = BigDecimal.ZERO;
      BigDecimal sumOfExact = BigDecimal.ZERO;
      for (int i = 0; i < 1 + random.nextInt(8); i++) {
        BigDecimal q = BigDecimal.valueOf(1 + random.nextInt(4000), 2);
        BigDecimal p = BigDecimal.valueOf(random.nextInt(100_000), 3);
        BigDecimal amount = Money.amount(q, p);
        assertEquals(2, amount.scale());
        assertTrue(amount.subtract(q.multiply(p)).abs().compareTo(new BigDecimal("0.005")) <= 0);
        assertTrue(amount.signum() >= 0);
        subtotal = subtotal.add(amount);
        sumOfExact = sumOfExact.add(q.multiply(p));
      }
      BigDecimal rate = BigDecimal.valueOf(random.nextInt(250), 3);
      BigDecimal tax = Money.tax(subtotal, rate);
      assertEquals(subtotal.multiply(rate).setScale(2, java.math.RoundingMode.HALF_EVEN), tax);
      assertTrue(tax.signum() >= 0);
    }
    assertEquals(new BigDecimal("0.25"), Money.billedHours(Duration.ofMinutes(1), 15));
    assertEquals(new BigDecimal("0.25"), Money.billedHours(Duration.ofMinutes(15), 15));
    assertEquals(new BigDecimal("0.50"), Money.billedHours(Duration.ofSeconds(15 * 60 + 1), 15));
    assertEquals(new BigDecimal("0.00"), Money.billedHours(Duration.ZERO, 15));
    assertEquals(new BigDecimal("0.10"), Money.billedHours(Duration.ofMinutes(5), 6));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A job with labor of {@code minutes}, {@code filters} parts and one flat-rate task, COMPLETED.
   */
  private String completedJob(int minutes, int filters) {
    String job =
        jobs.create(
                new WorkOrderDraft(
                    customer,
                    site,
                    List.of(),
                    "Rooftop unit",
                    null,
                    "hvac.pm",
                    Priority.NORMAL,
                    SLOT.minusSeconds(3600),
                    SLOT.plusSeconds(8 * 3600),
                    60,
                    List.of(new FlatRateTaskRef("PM-VISIT", 1))),
                DISPATCHER)
            .id();
    jobs.assign(job, null, new Assignment(List.of(anna), SLOT, SLOT.plusSeconds(3600)), DISPATCHER);
    jobs.moveByTechnician(job, JobStatus.ON_SITE, ANNA);
    if (minutes > 0) {
      jobs.addLine(
          job,
          new LineDraft(
              LineKind.LABOR,
              "STD",
              null,
              null,
              null,
              SLOT,
              SLOT.plusSeconds(minutes * 60L),
              null,
              anna),
          ANNA);
    }
    if (filters > 0) {
      jobs.addLine(job, part("FILTER-20", filters), ANNA);
    }
    jobs.moveByTechnician(job, JobStatus.COMPLETED, ANNA);
    return job;
  }

  private LineDraft part(String sku, int quantity) {
    return new LineDraft(
        LineKind.PART, null, sku, null, BigDecimal.valueOf(quantity), null, null, null, anna);
  }

  private Invoice only(String job) {
    List<Invoice> found = billing.list(null, job, new PageRequest(50, null)).items();
    assertEquals(1, found.size());
    return found.get(0);
  }

  private String approvedInvoice() {
    Invoice d = billing.draftFor(completedJob(60, 1));
    return billing.approve(d.id(), null, FINANCE).number();
  }

  private ExportRecord export(String number) {
    return billing.exports(null, new PageRequest(500, null)).items().stream()
        .filter(e -> e.invoiceNumber().equals(number) && "INVOICE".equals(e.kind()))
        .findFirst()
        .orElseThrow();
  }

  private static void assertLine(
      Invoice inv, InvoiceLineKind kind, String quantity, String unitPrice, String amount) {
    assertTrue(
        inv.lines().toString(),
        inv.lines().stream()
            .anyMatch(
                l ->
                    l.kind() == kind
                        && l.quantity().compareTo(new BigDecimal(quantity)) == 0
                        && l.unitPrice().compareTo(new BigDecimal(unitPrice)) == 0
                        && l.amount().equals(new BigDecimal(amount))));
  }

  static InvoiceServiceImpl.Config config(String connector, int maxAttempts) {
    return config(connector, maxAttempts, 30);
  }

  static InvoiceServiceImpl.Config config(String connector, int maxAttempts, int timeoutSeconds) {
    return new InvoiceServiceImpl.Config() {
      @Override
      public int billingIncrementMinutes() {
        return 15;
      }

      @Override
      public String connector() {
        return connector;
      }

      @Override
      public int maxAttempts() {
        return maxAttempts;
      }

      @Override
      public int backoffBaseSeconds() {
        return 1;
      }

      @Override
      public int backoffCapSeconds() {
        return 60;
      }

      @Override
      public int connectorTimeoutSeconds() {
        return timeoutSeconds;
      }

      @Override
      public int pollMillis() {
        return 250;
      }

      @Override
      public Class<? extends Annotation> annotationType() {
        return InvoiceServiceImpl.Config.class;
      }
    };
  }

  /** An accounting system that applies each idempotency key once. */
  static final class TestConnector implements AccountingConnector {
    final Map<String, String> applied = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger transientFailures = new AtomicInteger();
    volatile boolean permanent;
    volatile Duration sleep = Duration.ZERO;

    @Override
    public ExportResult exportInvoice(
        Invoice invoice, org.fieldops.api.master.Customer customer, String key) {
      calls.incrementAndGet();
      if (!sleep.isZero()) {
        try {
          Thread.sleep(sleep.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return ExportResult.transientFailure("interrupted", null);
        }
      }
      if (permanent) {
        return ExportResult.permanentFailure("customer unknown in the ledger");
      }
      if (transientFailures.getAndDecrement() > 0) {
        return ExportResult.transientFailure("503 from the ledger", null);
      }
      applied.putIfAbsent(key, invoice.total().toPlainString());
      return ExportResult.success("ext-" + key);
    }

    @Override
    public ExportResult voidInvoice(
        Invoice invoice, org.fieldops.api.master.Customer customer, String key) {
      applied.putIfAbsent(key, "void");
      return ExportResult.success("void-" + key);
    }
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
