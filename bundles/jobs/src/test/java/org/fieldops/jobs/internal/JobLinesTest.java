package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.CustomerServiceImplTest.DISPATCHER;
import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.jobs.AuditEntry;
import org.fieldops.api.jobs.FlatRateTaskRef;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.LineDraft;
import org.fieldops.api.jobs.LineKind;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.pricebook.FlatRateTaskDraft;
import org.fieldops.api.pricebook.LaborRateDraft;
import org.fieldops.api.pricebook.PartDraft;
import org.fieldops.store.ChangeEntity;
import org.fieldops.store.Ids;
import org.fieldops.store.JobLineEntity;
import org.fieldops.store.WorkOrderEntity;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * Time & materials lines on jobs (JobLines and WorkOrderServiceImpl.addLine/updateLine) against the
 * real price book, on a real in-memory Derby store.
 */
public class JobLinesTest {
  static final Instant T0 = Instant.parse("2026-11-25T08:30:00Z");
  static final Instant NINE = Instant.parse("2026-11-26T09:00:00Z");

  @Rule public final TestDatabase db = new TestDatabase();

  private final MutableClock clock = new MutableClock(T0);
  private PriceBookServiceImpl prices;
  private WorkOrderServiceImpl jobs;
  private String customer;
  private String site;
  private String tina;
  private String job;

  @Before
  public void setUp() {
    customer =
        new CustomerServiceImpl(db, clock)
            .create(new CustomerDraft("Acme", null, null, null, "USD"), DISPATCHER)
            .id();
    site =
        new SiteServiceImpl(db, clock)
            .create(new SiteDraft(customer, "1 Main St", null, null, null), DISPATCHER)
            .id();
    tina =
        new TechnicianServiceImpl(db, clock)
            .create(new TechnicianDraft("Tina", null, List.of("hvac"), null), DISPATCHER)
            .id();
    prices = new PriceBookServiceImpl(db);
    prices.createLaborRate(
        new LaborRateDraft("STD", "Standard hour", new BigDecimal("120"), "USD", null), DISPATCHER);
    prices.createLaborRate(
        new LaborRateDraft("ODD", "Apprentice hour", new BigDecimal("24.5"), "USD", null),
        DISPATCHER);
    prices.createLaborRate(
        new LaborRateDraft("RETIRED", "Old rate", new BigDecimal("80"), "USD", false), DISPATCHER);
    prices.createPart(
        new PartDraft("FLT-20", "Filter 20x25", new BigDecimal("18.4"), "USD", null), DISPATCHER);
    prices.createPart(
        new PartDraft("HALF", "Gasket", new BigDecimal("12.25"), "USD", null), DISPATCHER);
    prices.createPart(
        new PartDraft("OLD-PART", "Discontinued", new BigDecimal("1"), "USD", false), DISPATCHER);
    prices.createFlatRateTask(
        new FlatRateTaskDraft("PM-VISIT", "Maintenance visit", new BigDecimal("149"), "USD", null),
        DISPATCHER);
    prices.createFlatRateTask(
        new FlatRateTaskDraft("COIL", "Coil cleaning", new BigDecimal("1.2345"), "USD", null),
        DISPATCHER);
    prices.createFlatRateTask(
        new FlatRateTaskDraft("OLD-TASK", "Old task", new BigDecimal("10"), "USD", false),
        DISPATCHER);
    jobs = new WorkOrderServiceImpl(db, prices, new ChecklistRegistry(), clock, ZoneId.of("UTC"));
    job = newJob("No cooling");
  }

  // --- helpers ---

  private String newJob(String title) {
    return jobs.create(
            new WorkOrderDraft(
                customer, site, null, title, null, "hvac.repair", null, null, null, null, null),
            DISPATCHER)
        .id();
  }

  private static Instant at(String hhmm) {
    return Instant.parse("2026-11-26T" + hhmm + ":00Z");
  }

  private static LineDraft labor(String rateCode, Instant start, Instant end) {
    return new LineDraft(LineKind.LABOR, rateCode, null, null, null, start, end, null, null);
  }

  private static LineDraft part(String sku, String quantity) {
    return new LineDraft(
        LineKind.PART,
        null,
        sku,
        null,
        quantity == null ? null : new BigDecimal(quantity),
        null,
        null,
        null,
        null);
  }

  private static LineDraft flat(String code, String quantity) {
    return new LineDraft(
        LineKind.FLAT_RATE,
        null,
        null,
        code,
        quantity == null ? null : new BigDecimal(quantity),
        null,
        null,
        null,
        null);
  }

  private static LineDraft note(String text) {
    return new LineDraft(LineKind.NOTE, null, null, null, null, null, null, text, null);
  }

  private JobLine add(LineDraft draft) {
    return jobs.addLine(job, draft, DISPATCHER);
  }

  private static Map<String, Object> patch(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private static BigDecimal dec(String s) {
    return new BigDecimal(s);
  }

  /** Numerically equal (the scale of a quantity is not the point). */
  private static void assertAmount(String expected, BigDecimal actual) {
    assertNotNull(actual);
    assertEquals(expected + " vs " + actual, 0, dec(expected).compareTo(actual));
  }

  private long version(String jobId) {
    return jobs.get(jobId).version();
  }

  private List<Long> changeVersions(String jobId) {
    return db.read(
        em ->
            em.createQuery(
                    "SELECT c.jobVersion FROM ChangeEntity c WHERE c.jobId = :j ORDER BY c.jobVersion",
                    Long.class)
                .setParameter("j", jobId)
                .getResultList());
  }

  private long lineRows() {
    return db.read(
        em -> em.createQuery("SELECT COUNT(l) FROM JobLineEntity l", Long.class).getSingleResult());
  }

  private List<AuditEntry> audit(String jobId) {
    return jobs.audit(jobId, PageRequest.first(200)).items();
  }

  /** Sets the status behind the service's back (the billing moves come in later bundles). */
  private void forceStatus(String jobId, JobStatus status) {
    db.inTransaction(
        em -> {
          em.find(WorkOrderEntity.class, jobId).status = status.name();
          return null;
        });
  }

  /** The line as the whole record shows it. */
  private JobLine inRecord(String jobId, String lineId) {
    WorkOrder w = jobs.get(jobId);
    return java.util.stream.Stream.of(w.labor(), w.parts(), w.flatRateTasks(), w.notes())
        .flatMap(List::stream)
        .filter(l -> l.id().equals(lineId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("line " + lineId + " not in the record"));
  }

  // --- labor ---

  @Test
  public void aLaborLineIsPricedFromTheRateForItsHours() {
    JobLine l = add(labor("STD", at("09:00"), at("10:30")));
    assertTrue(Ids.isWellFormed(l.id()));
    assertEquals(LineKind.LABOR, l.kind());
    assertEquals("STD", l.code());
    assertEquals("Standard hour", l.description());
    assertEquals(dec("1.5"), l.quantity());
    assertEquals(at("09:00"), l.startedAt());
    assertEquals(at("10:30"), l.endedAt());
    assertEquals(dec("120.00"), l.unitPrice());
    assertEquals("USD", l.currency());
    assertEquals(dec("180.00"), l.amount());
    assertNull(l.text());
    assertNull(l.technicianId());
    assertEquals("OFFICE", l.source());
    assertFalse(l.voided());
    assertEquals(1L, l.version());
    assertEquals(T0, l.createdAt());
    assertEquals("dora", l.createdBy());
    assertEquals(l, inRecord(job, l.id()));
  }

  @Test
  public void laborHoursHaveFourDecimalsAndTheAmountIsRoundedToCents() {
    JobLine twenty = add(labor("STD", at("09:00"), at("09:20")));
    assertEquals(dec("0.3333"), twenty.quantity());
    assertEquals(dec("40.00"), twenty.amount()); // 0.3333 x 120.00 = 39.996
    assertEquals(twenty, inRecord(job, twenty.id()));

    JobLine ten = add(labor("ODD", at("10:00"), at("10:10")));
    assertEquals(dec("0.1667"), ten.quantity()); // 0.16666.. half-even to 4 places
    assertEquals(dec("24.50"), ten.unitPrice());
    assertEquals(dec("4.08"), ten.amount()); // 0.1667 x 24.50 = 4.08415

    JobLine whole = add(labor("STD", at("11:00"), at("13:00")));
    assertAmount("2", whole.quantity());
    assertEquals(dec("240.00"), whole.amount());

    JobLine seconds = add(labor("STD", at("14:00"), at("14:00").plusSeconds(1)));
    assertEquals(dec("0.0003"), seconds.quantity()); // 1/3600 = 0.000277..
    assertEquals(dec("0.04"), seconds.amount()); // 0.0003 x 120 = 0.036
  }

  @Test
  public void amountsRoundHalfEvenToCents() {
    // 0.25 h x 24.50 = 6.125 -> 6.12 (half-even), not 6.13 (half-up)
    JobLine quarter = add(labor("ODD", at("09:00"), at("09:15")));
    assertAmount("0.25", quarter.quantity());
    assertEquals(dec("6.12"), quarter.amount());
    assertEquals(dec("6.12"), inRecord(job, quarter.id()).amount());
    // 0.5 x 12.25 = 6.125 -> 6.12; 1.5 x 12.25 = 18.375 -> 18.38
    assertEquals(dec("6.12"), add(part("HALF", "0.5")).amount());
    assertEquals(dec("18.38"), add(part("HALF", "1.5")).amount());
    // 0.75 h x 24.50 = 18.375 -> 18.38
    assertEquals(dec("18.38"), add(labor("ODD", at("10:00"), at("10:45"))).amount());
  }

  @Test
  public void aLaborLineEndsAfterItStartsWithinADay() {
    invalid(() -> add(labor("STD", at("10:30"), at("09:00"))), "endedAt");
    invalid(() -> add(labor("STD", at("09:00"), at("09:00"))), "endedAt");
    invalid(
        () -> add(labor("STD", NINE, NINE.plus(Duration.ofHours(24)).plusSeconds(1))), "endedAt");
    invalid(() -> add(labor("STD", NINE, NINE.plus(Duration.ofDays(3)))), "endedAt");
    invalid(() -> add(labor("STD", null, at("10:00"))), "startedAt");
    invalid(() -> add(labor("STD", at("10:00"), null)), "endedAt");
    invalid(() -> add(labor("STD", null, null)), "startedAt", "endedAt");
    // exactly 24 hours is allowed
    JobLine day = add(labor("STD", NINE, NINE.plus(Duration.ofHours(24))));
    assertAmount("24", day.quantity());
    assertEquals(dec("2880.00"), day.amount());
  }

  @Test
  public void aLaborLineNeedsAnActiveRate() {
    invalid(() -> add(labor("NOPE", at("09:00"), at("10:00"))), "rateCode");
    invalid(() -> add(labor("RETIRED", at("09:00"), at("10:00"))), "rateCode");
    invalid(() -> add(labor(null, at("09:00"), at("10:00"))), "rateCode");
    // a part SKU or task code is not a labor rate
    invalid(() -> add(labor("FLT-20", at("09:00"), at("10:00"))), "rateCode");
    // every bad field at once
    invalid(() -> add(labor("NOPE", at("10:00"), at("09:00"))), "rateCode", "endedAt");
  }

  // --- parts, flat-rate tasks, notes ---

  @Test
  public void aPartLineIsPricedFromTheSku() {
    JobLine l = add(part("FLT-20", "2.5"));
    assertEquals(LineKind.PART, l.kind());
    assertEquals("FLT-20", l.code());
    assertEquals("Filter 20x25", l.description());
    assertEquals(dec("2.5"), l.quantity());
    assertEquals(dec("18.40"), l.unitPrice());
    assertEquals("USD", l.currency());
    assertEquals(dec("46.00"), l.amount());
    assertNull(l.startedAt());
    assertEquals(l, inRecord(job, l.id()));

    JobLine fine = add(part("FLT-20", "1.2345"));
    assertEquals(dec("1.2345"), fine.quantity());
    assertEquals(dec("22.71"), fine.amount()); // 22.7148
    assertAmount("10000", add(part("FLT-20", "10000")).quantity());
  }

  @Test
  public void aPartQuantityIsPositiveWithAtMostFourDecimals() {
    invalid(() -> add(part("FLT-20", "0")), "quantity");
    invalid(() -> add(part("FLT-20", "-1")), "quantity");
    invalid(() -> add(part("FLT-20", "1.23456")), "quantity");
    invalid(() -> add(part("FLT-20", "10000.0001")), "quantity");
    invalid(() -> add(part("FLT-20", null)), "quantity");
    assertEquals(0L, lineRows());
  }

  @Test
  public void aPartNeedsAnActiveSku() {
    invalid(() -> add(part("NOPE", "1")), "sku");
    invalid(() -> add(part("OLD-PART", "1")), "sku");
    invalid(() -> add(part(null, "1")), "sku");
    invalid(() -> add(part("STD", "1")), "sku"); // a labor rate code is not a part
    invalid(() -> add(part("NOPE", "0")), "sku", "quantity");
  }

  @Test
  public void aFlatRateLineIsPricedFromTheTaskCode() {
    JobLine l = add(flat("PM-VISIT", "1"));
    assertEquals(LineKind.FLAT_RATE, l.kind());
    assertEquals("PM-VISIT", l.code());
    assertEquals("Maintenance visit", l.description());
    assertAmount("1", l.quantity());
    assertEquals(dec("149.00"), l.unitPrice());
    assertEquals(dec("149.00"), l.amount());
    assertEquals(l, inRecord(job, l.id()));

    JobLine coil = add(flat("COIL", "3"));
    assertEquals(dec("1.2345"), coil.unitPrice()); // four decimals kept on the line
    assertEquals(dec("3.70"), coil.amount()); // 3.7035

    invalid(() -> add(flat("NOPE", "1")), "code");
    invalid(() -> add(flat("OLD-TASK", "1")), "code");
    invalid(() -> add(flat(null, "1")), "code");
    invalid(() -> add(flat("PM-VISIT", "0")), "quantity");
    invalid(() -> add(flat("PM-VISIT", null)), "quantity");
  }

  @Test
  public void aNoteNeedsText() {
    invalid(() -> add(note(null)), "text");
    invalid(() -> add(note("   ")), "text");
    invalid(() -> add(note("x".repeat(10_001))), "text");
    JobLine l = add(note("Customer asked for a quote on a new unit"));
    assertEquals(LineKind.NOTE, l.kind());
    assertEquals("Customer asked for a quote on a new unit", l.text());
    assertNull(l.code());
    assertNull(l.quantity());
    assertNull(l.unitPrice());
    assertNull(l.amount());
    assertNull(l.currency());
    assertEquals(l, inRecord(job, l.id()));
  }

  @Test
  public void theKindIsRequired() {
    invalid(
        () ->
            add(new LineDraft(null, "STD", null, null, null, at("09:00"), at("10:00"), null, null)),
        "kind");
    invalid(() -> jobs.addLine(job, null, DISPATCHER), "body");
  }

  @Test
  public void theTechnicianMustExist() {
    invalid(
        () ->
            add(
                new LineDraft(
                    LineKind.PART,
                    null,
                    "FLT-20",
                    null,
                    BigDecimal.ONE,
                    null,
                    null,
                    null,
                    Ids.next())),
        "technicianId");
    invalid(
        () -> add(new LineDraft(LineKind.NOTE, null, null, null, null, null, null, null, "nobody")),
        "technicianId",
        "text");
    JobLine l =
        add(
            new LineDraft(
                LineKind.LABOR, "STD", null, null, null, at("09:00"), at("10:00"), null, tina));
    assertEquals(tina, l.technicianId());
    assertEquals(tina, inRecord(job, l.id()).technicianId());
  }

  @Test
  public void aLineOnAnUnknownJobIsNotFound() {
    assertThrows(NotFoundException.class, () -> jobs.addLine(Ids.next(), note("hi"), DISPATCHER));
    assertThrows(NotFoundException.class, () -> jobs.addLine(null, note("hi"), DISPATCHER));
  }

  @Test
  public void aRefusedLineLeavesNothingBehind() {
    invalid(() -> add(labor("NOPE", at("09:00"), at("10:00"))), "rateCode");
    invalid(() -> add(part("FLT-20", "0")), "quantity");
    assertEquals(0L, lineRows());
    assertEquals(1L, version(job));
    assertEquals(List.of(1L), changeVersions(job));
    assertEquals(1, audit(job).size());
  }

  // --- the job's version, change log and audit ---

  @Test
  public void eachAddedLineBumpsTheJobVersionLogsOneChangeAndIsAudited() {
    assertEquals(1L, version(job));
    assertEquals(List.of(1L), changeVersions(job));

    JobLine first = add(labor("STD", at("09:00"), at("10:30")));
    assertEquals(2L, version(job));
    assertEquals(List.of(1L, 2L), changeVersions(job));
    AuditEntry a = audit(job).get(0);
    assertEquals("line added", a.action());
    assertEquals(2L, a.version());
    assertEquals("dora", a.actor());
    assertEquals(T0, a.at());
    assertEquals("lines[" + first.id() + "]", a.field());
    assertNull(a.oldValue());
    assertTrue(a.newValue(), a.newValue().contains("LABOR") && a.newValue().contains("STD"));

    // at the same instant, by the same caller: still one version per change
    add(part("FLT-20", "2"));
    assertEquals(3L, version(job));
    clock.advance(Duration.ofMinutes(1));
    JobLine third = add(note("done"));
    assertEquals(4L, version(job));
    assertEquals(List.of(1L, 2L, 3L, 4L), changeVersions(job));
    assertEquals(T0.plus(Duration.ofMinutes(1)), jobs.get(job).updatedAt());

    List<AuditEntry> trail = audit(job);
    assertEquals(
        List.of("line added", "line added", "line added", "created"),
        trail.stream().map(AuditEntry::action).toList());
    assertEquals(List.of(4L, 3L, 2L, 1L), trail.stream().map(AuditEntry::version).toList());
    assertEquals("lines[" + third.id() + "]", trail.get(0).field());
    assertTrue(trail.get(1).newValue(), trail.get(1).newValue().contains("FLT-20"));
    // the change-log rows carry the job's status, unstamped until the sequencer runs
    db.read(
        em -> {
          for (ChangeEntity c :
              em.createQuery("SELECT c FROM ChangeEntity c WHERE c.jobId = :j", ChangeEntity.class)
                  .setParameter("j", job)
                  .getResultList()) {
            assertEquals("NEW", c.status);
            assertNull(c.cursor);
          }
          return null;
        });
  }

  @Test
  public void aLineKeepsItsPriceWhenThePriceBookChanges() {
    JobLine l = add(labor("STD", at("09:00"), at("10:30")));
    JobLine p = add(part("FLT-20", "2"));
    JobLine f = add(flat("PM-VISIT", "1"));
    prices.updateLaborRate(
        "STD", 1, patch("hourlyRate", 200, "name", "Standard hour 2027"), DISPATCHER);
    prices.updatePart("FLT-20", 1, patch("unitPrice", new BigDecimal("25")), DISPATCHER);
    prices.updateFlatRateTask("PM-VISIT", 1, patch("price", 99, "active", false), DISPATCHER);

    WorkOrder w = jobs.get(job);
    assertEquals(List.of(l), w.labor());
    assertEquals(List.of(p), w.parts());
    assertEquals(List.of(f), w.flatRateTasks());
    assertEquals(dec("120.00"), w.labor().get(0).unitPrice());
    assertEquals(dec("180.00"), w.labor().get(0).amount());
    assertEquals("Standard hour", w.labor().get(0).description());
    assertEquals(dec("36.80"), w.parts().get(0).amount());
    assertEquals(dec("149.00"), w.flatRateTasks().get(0).amount());

    // new lines take the new prices
    JobLine later = add(labor("STD", at("11:00"), at("12:30")));
    assertEquals(dec("200.00"), later.unitPrice());
    assertEquals(dec("300.00"), later.amount());
    assertEquals("Standard hour 2027", later.description());
    assertEquals(dec("25.00"), add(part("FLT-20", "1")).unitPrice());
    invalid(() -> add(flat("PM-VISIT", "1")), "code");
  }

  @Test
  public void theRecordGroupsLinesByKindInCreationOrder() {
    JobLine n1 = add(note("arrived"));
    JobLine l1 = add(labor("STD", at("09:00"), at("10:00")));
    JobLine p1 = add(part("FLT-20", "1"));
    JobLine f1 = add(flat("PM-VISIT", "1"));
    JobLine l2 = add(labor("ODD", at("10:00"), at("11:00")));
    JobLine p2 = add(part("HALF", "2"));
    JobLine n2 = add(note("left"));
    WorkOrder w = jobs.get(job);
    assertEquals(List.of(l1, l2), w.labor());
    assertEquals(List.of(p1, p2), w.parts());
    assertEquals(List.of(f1), w.flatRateTasks());
    assertEquals(List.of(n1, n2), w.notes());
    assertEquals(8L, w.version());

    // another job's record has none of them, and the list shows the same grouping
    String other = newJob("Other");
    JobLine o = jobs.addLine(other, note("other job"), DISPATCHER);
    assertEquals(List.of(o), jobs.get(other).notes());
    assertTrue(jobs.get(other).labor().isEmpty());
    WorkOrder listed =
        jobs.list(org.fieldops.api.jobs.JobQuery.all(), PageRequest.first(10)).items().stream()
            .filter(j -> j.id().equals(job))
            .findFirst()
            .orElseThrow();
    assertEquals(w.labor(), listed.labor());
    assertEquals(w.parts(), listed.parts());
    assertEquals(w.flatRateTasks(), listed.flatRateTasks());
    assertEquals(w.notes(), listed.notes());
  }

  // --- create with flat-rate tasks ---

  @Test
  public void aJobCreatedWithFlatRateTasksGetsPricedLines() {
    WorkOrder w =
        jobs.create(
            new WorkOrderDraft(
                customer,
                site,
                null,
                "PM",
                null,
                "hvac.maintenance",
                null,
                null,
                null,
                null,
                List.of(new FlatRateTaskRef("PM-VISIT", 1), new FlatRateTaskRef("COIL", 4))),
            DISPATCHER);
    assertEquals(1L, w.version());
    assertEquals(2, w.flatRateTasks().size());
    JobLine visit = w.flatRateTasks().get(0);
    assertEquals(LineKind.FLAT_RATE, visit.kind());
    assertEquals("PM-VISIT", visit.code());
    assertEquals("Maintenance visit", visit.description());
    assertAmount("1", visit.quantity());
    assertEquals(dec("149.00"), visit.unitPrice());
    assertEquals(dec("149.00"), visit.amount());
    assertEquals("USD", visit.currency());
    assertEquals("OFFICE", visit.source());
    assertEquals(1L, visit.version());
    JobLine coil = w.flatRateTasks().get(1);
    assertEquals("COIL", coil.code());
    assertAmount("4", coil.quantity());
    assertEquals(dec("4.94"), coil.amount()); // 4.938
    assertTrue(w.labor().isEmpty() && w.parts().isEmpty() && w.notes().isEmpty());
    assertEquals(w.flatRateTasks(), jobs.get(w.id()).flatRateTasks());
    assertEquals(List.of(1L), changeVersions(w.id()));
  }

  @Test
  public void anUnknownOrInactiveTaskCodeIsNamedByItsIndex() {
    long before = lineRows();
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    customer,
                    site,
                    null,
                    "PM",
                    null,
                    "hvac.maintenance",
                    null,
                    null,
                    null,
                    null,
                    List.of(new FlatRateTaskRef("PM-VISIT", 1), new FlatRateTaskRef("NOPE", 1))),
                DISPATCHER),
        "flatRateTasks[1].code");
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    customer,
                    site,
                    null,
                    "PM",
                    null,
                    "hvac.maintenance",
                    null,
                    null,
                    null,
                    null,
                    List.of(new FlatRateTaskRef("OLD-TASK", 1))),
                DISPATCHER),
        "flatRateTasks[0].code");
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    customer,
                    site,
                    null,
                    "PM",
                    null,
                    "hvac.maintenance",
                    null,
                    null,
                    null,
                    null,
                    List.of(new FlatRateTaskRef("STD", 1))),
                DISPATCHER),
        "flatRateTasks[0].code"); // a labor code
    assertEquals(before, lineRows());
    assertEquals(
        1, jobs.list(org.fieldops.api.jobs.JobQuery.all(), PageRequest.first(10)).items().size());
  }

  // --- updateLine ---

  @Test
  public void aQuantityCorrectionKeepsTheUnitPrice() {
    JobLine p = add(part("FLT-20", "2"));
    long jobVersion = version(job);
    prices.updatePart("FLT-20", 1, patch("unitPrice", 30), DISPATCHER);
    clock.advance(Duration.ofMinutes(10));
    JobLine fixed = jobs.updateLine(job, p.id(), 1, patch("quantity", 3), DISPATCHER);
    assertAmount("3", fixed.quantity());
    assertEquals(dec("18.40"), fixed.unitPrice());
    assertEquals(dec("55.20"), fixed.amount());
    assertEquals(2L, fixed.version());
    assertEquals(p.createdAt(), fixed.createdAt());
    assertEquals(fixed, inRecord(job, p.id()));
    assertEquals(jobVersion + 1, version(job));

    AuditEntry a = audit(job).get(0);
    assertEquals("line corrected", a.action());
    assertEquals(jobVersion + 1, a.version());
    assertEquals("lines[" + p.id() + "]", a.field());
    assertTrue(a.oldValue(), a.oldValue().contains("x 2"));
    assertTrue(a.newValue(), a.newValue().contains("x 3"));
    assertEquals(List.of(1L, 2L, 3L), changeVersions(job));

    JobLine again =
        jobs.updateLine(job, p.id(), 2, patch("quantity", new BigDecimal("0.5")), DISPATCHER);
    assertEquals(3L, again.version());
    assertEquals(dec("9.20"), again.amount());
  }

  @Test
  public void laborQuantityFollowsItsTimesOnly() {
    JobLine l = add(labor("STD", at("09:00"), at("10:30")));
    invalid(() -> jobs.updateLine(job, l.id(), 1, patch("quantity", 2), DISPATCHER), "quantity");
    invalid(
        () ->
            jobs.updateLine(
                job,
                l.id(),
                1,
                patch("quantity", 2, "endedAt", at("11:00").toString()),
                DISPATCHER),
        "quantity");
    assertEquals(l, inRecord(job, l.id()));

    prices.updateLaborRate("STD", 1, patch("hourlyRate", 300), DISPATCHER);
    JobLine longer =
        jobs.updateLine(job, l.id(), 1, patch("endedAt", at("11:00").toString()), DISPATCHER);
    assertEquals(at("11:00"), longer.endedAt());
    assertAmount("2", longer.quantity());
    assertEquals(dec("120.00"), longer.unitPrice());
    assertEquals(dec("240.00"), longer.amount());
    assertEquals(2L, longer.version());

    JobLine moved =
        jobs.updateLine(
            job,
            l.id(),
            2,
            patch("startedAt", at("13:00").toString(), "endedAt", at("13:20").toString()),
            DISPATCHER);
    assertEquals(dec("0.3333"), moved.quantity());
    assertEquals(dec("40.00"), moved.amount());
    assertEquals(moved, inRecord(job, l.id()));

    invalid(
        () -> jobs.updateLine(job, l.id(), 3, patch("endedAt", at("12:00").toString()), DISPATCHER),
        "endedAt");
    invalid(
        () -> jobs.updateLine(job, l.id(), 3, patch("endedAt", "2026-11-28T13:00:00Z"), DISPATCHER),
        "endedAt");
    invalid(
        () -> jobs.updateLine(job, l.id(), 3, patch("startedAt", null), DISPATCHER), "startedAt");
    invalid(
        () -> jobs.updateLine(job, l.id(), 3, patch("startedAt", "yesterday"), DISPATCHER),
        "startedAt");
    assertEquals(moved, inRecord(job, l.id()));
  }

  @Test
  public void voidingMarksTheLineWhichStaysInTheRecord() {
    JobLine p = add(part("FLT-20", "2"));
    JobLine n = add(note("oops"));
    long jobVersion = version(job);
    JobLine voided = jobs.updateLine(job, p.id(), 1, patch("voided", true), DISPATCHER);
    assertTrue(voided.voided());
    assertEquals(2L, voided.version());
    assertEquals(dec("36.80"), voided.amount());
    assertEquals(jobVersion + 1, version(job));
    WorkOrder w = jobs.get(job);
    assertEquals(List.of(voided), w.parts());
    assertEquals(2L, lineRows());
    assertTrue(audit(job).get(0).newValue(), audit(job).get(0).newValue().contains("[voided]"));

    assertTrue(jobs.updateLine(job, n.id(), 1, patch("voided", true), DISPATCHER).voided());
    assertEquals(1, jobs.get(job).notes().size());
    // and back
    assertFalse(jobs.updateLine(job, p.id(), 2, patch("voided", false), DISPATCHER).voided());
    invalid(() -> jobs.updateLine(job, p.id(), 3, patch("voided", null), DISPATCHER), "voided");
    invalid(() -> jobs.updateLine(job, p.id(), 3, patch("voided", "yes"), DISPATCHER), "voided");
  }

  @Test
  public void noteTextAndTechnicianCanBeCorrected() {
    JobLine n = add(note("first"));
    JobLine fixed =
        jobs.updateLine(job, n.id(), 1, patch("text", "second", "technicianId", tina), DISPATCHER);
    assertEquals("second", fixed.text());
    assertEquals(tina, fixed.technicianId());
    invalid(() -> jobs.updateLine(job, n.id(), 2, patch("text", " "), DISPATCHER), "text");
    invalid(() -> jobs.updateLine(job, n.id(), 2, patch("quantity", 1), DISPATCHER), "quantity");
    invalid(
        () -> jobs.updateLine(job, n.id(), 2, patch("technicianId", Ids.next()), DISPATCHER),
        "technicianId");

    JobLine p = add(part("FLT-20", "1"));
    invalid(
        () -> jobs.updateLine(job, p.id(), 1, patch("text", "a part has no text"), DISPATCHER),
        "text");
    invalid(() -> jobs.updateLine(job, p.id(), 1, patch("quantity", 0), DISPATCHER), "quantity");
    invalid(
        () ->
            jobs.updateLine(
                job, p.id(), 1, patch("quantity", new BigDecimal("1.00001")), DISPATCHER),
        "quantity");
    invalid(
        () -> jobs.updateLine(job, p.id(), 1, patch("quantity", "lots"), DISPATCHER), "quantity");
    invalid(
        () ->
            jobs.updateLine(job, p.id(), 1, patch("startedAt", at("09:00").toString()), DISPATCHER),
        "startedAt");
    assertEquals(p, inRecord(job, p.id()));
  }

  @Test
  public void readOnlyLineFieldsAreRefusedByName() {
    JobLine p = add(part("FLT-20", "2"));
    for (String field :
        List.of(
            "unitPrice",
            "kind",
            "code",
            "sku",
            "rateCode",
            "description",
            "currency",
            "amount",
            "source",
            "createdBy",
            "id",
            "version",
            "createdAt")) {
      invalid(() -> jobs.updateLine(job, p.id(), 1, patch(field, "x"), DISPATCHER), field);
    }
    invalid(
        () -> jobs.updateLine(job, p.id(), 1, patch("unitPrice", 1, "quantity", 5), DISPATCHER),
        "unitPrice");
    invalid(
        () ->
            jobs.updateLine(
                job,
                p.id(),
                1,
                patch("unitPrice", 1, "kind", "NOTE", "code", "X", "sku", "Y"),
                DISPATCHER),
        "unitPrice",
        "kind",
        "code",
        "sku");
    invalid(() -> jobs.updateLine(job, p.id(), 1, patch("colour", "red"), DISPATCHER), "colour");
    assertEquals(p, inRecord(job, p.id()));
    assertEquals(2L, version(job));
  }

  @Test
  public void aStaleLineVersionIsAMismatch() {
    JobLine p = add(part("FLT-20", "2"));
    jobs.updateLine(job, p.id(), 1, patch("quantity", 3), DISPATCHER);
    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () -> jobs.updateLine(job, p.id(), 1, patch("quantity", 4), DISPATCHER));
    assertEquals(2L, e.currentVersion());
    assertAmount("3", inRecord(job, p.id()).quantity());
    // the job's version is not the line's
    long jobVersion = version(job);
    assertTrue(jobVersion > 2);
    VersionMismatchException jobV =
        assertThrows(
            VersionMismatchException.class,
            () -> jobs.updateLine(job, p.id(), jobVersion, patch("quantity", 4), DISPATCHER));
    assertEquals(2L, jobV.currentVersion());
  }

  @Test
  public void aLineOfAnotherJobIsNotFound() {
    String other = newJob("Other");
    JobLine theirs = jobs.addLine(other, part("FLT-20", "1"), DISPATCHER);
    assertThrows(
        NotFoundException.class,
        () -> jobs.updateLine(job, theirs.id(), 1, patch("quantity", 2), DISPATCHER));
    assertThrows(
        NotFoundException.class,
        () -> jobs.updateLine(job, Ids.next(), 1, patch("quantity", 2), DISPATCHER));
    assertThrows(
        NotFoundException.class,
        () -> jobs.updateLine(job, null, 1, patch("quantity", 2), DISPATCHER));
    assertThrows(
        NotFoundException.class,
        () -> jobs.updateLine(Ids.next(), theirs.id(), 1, patch("quantity", 2), DISPATCHER));
    assertEquals(theirs, inRecord(other, theirs.id()));
    assertEquals(1L, version(job));
  }

  @Test
  public void anEmptyOrNoOpLinePatchChangesNothing() {
    JobLine p = add(part("FLT-20", "2"));
    JobLine l = add(labor("STD", at("09:00"), at("10:30")));
    long jobVersion = version(job);
    clock.advance(Duration.ofMinutes(1));
    assertEquals(p, jobs.updateLine(job, p.id(), 1, patch(), DISPATCHER));
    assertEquals(p, jobs.updateLine(job, p.id(), 1, patch("voided", false), DISPATCHER));
    assertEquals(
        l, jobs.updateLine(job, l.id(), 1, patch("endedAt", at("10:30").toString()), DISPATCHER));
    assertEquals(jobVersion, version(job));
    assertEquals(1L, inRecord(job, p.id()).version());
    assertEquals(3, audit(job).size());
  }

  @Test
  public void aClosedJobTakesNoLineChanges() {
    JobLine p = add(part("FLT-20", "2"));
    forceStatus(job, JobStatus.CLOSED);
    long closedVersion = version(job);
    long rows = lineRows();
    assertThrows(StateConflictException.class, () -> add(note("too late")));
    assertThrows(StateConflictException.class, () -> add(labor("STD", at("09:00"), at("10:00"))));
    assertThrows(
        StateConflictException.class,
        () -> jobs.updateLine(job, p.id(), 1, patch("quantity", 5), DISPATCHER));
    assertThrows(
        StateConflictException.class,
        () -> jobs.updateLine(job, p.id(), 1, patch("voided", true), DISPATCHER));
    assertEquals(rows, lineRows());
    assertEquals(closedVersion, version(job));
    assertEquals(p, inRecord(job, p.id()));
    assertEquals(JobStatus.CLOSED, jobs.get(job).status());

    // other statuses before CLOSED still take corrections (e.g. an invoiced job)
    String invoiced = newJob("Invoiced");
    forceStatus(invoiced, JobStatus.INVOICED);
    JobLine late = jobs.addLine(invoiced, part("FLT-20", "1"), DISPATCHER);
    assertEquals(
        2L, jobs.updateLine(invoiced, late.id(), 1, patch("quantity", 2), DISPATCHER).version());
  }

  @Test
  public void linesAreStoredAsPricedAndNotRecomputedOnRead() {
    JobLine p = add(part("FLT-20", "2"));
    JobLineEntity row = db.read(em -> em.find(JobLineEntity.class, p.id()));
    assertEquals(job, row.jobId);
    assertEquals("PART", row.kind);
    assertEquals("OFFICE", row.source);
    assertEquals(0, dec("18.4").compareTo(row.unitPrice));
    assertEquals(0, dec("2").compareTo(row.quantity));
    assertEquals("USD", row.currency);
    assertEquals("dora", row.getCreatedBy());
  }
}
