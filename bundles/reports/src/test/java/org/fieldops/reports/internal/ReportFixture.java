package org.fieldops.reports.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fieldops.api.ValidationException;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.Priority;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.EquipmentDraft;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.pricebook.LaborRateDraft;
import org.fieldops.api.pricebook.PartDraft;
import org.fieldops.api.reports.Report;
import org.fieldops.api.reports.ReportQuery;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.sync.EventBatch;
import org.fieldops.api.sync.EventResult;
import org.fieldops.api.sync.FieldEvent;
import org.fieldops.api.sync.Outcome;
import org.fieldops.billing.internal.BillingForReportTests;
import org.fieldops.billing.internal.InvoiceServiceImpl;
import org.fieldops.jobs.internal.CustomerServiceImpl;
import org.fieldops.jobs.internal.EquipmentServiceImpl;
import org.fieldops.jobs.internal.JobsForReportTests;
import org.fieldops.jobs.internal.MediaServiceImpl;
import org.fieldops.jobs.internal.PriceBookServiceImpl;
import org.fieldops.jobs.internal.SiteServiceImpl;
import org.fieldops.jobs.internal.TechnicianServiceImpl;
import org.fieldops.jobs.internal.WorkOrderServiceImpl;
import org.fieldops.store.UserAccountEntity;
import org.fieldops.store.testing.TestDatabase;
import org.fieldops.sync.internal.SyncServiceImpl;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/**
 * Every report against one fixture day built through the real services on Derby, in a business zone
 * west of UTC (America/New_York, UTC-5 on the day) so that evening work falls on the next UTC day
 * but the same business day. The expected figures are worked out by hand from the timeline below,
 * not computed by the code under test.
 *
 * <pre>
 * Day D = 2026-03-02 (local). Times below are UTC (local = UTC - 5 h).
 * J1 Acme, unit U1, anna, slot 14:00-16:00: EN_ROUTE 13:30, ON_SITE 14:10, PAUSED 15:00,
 *    ON_SITE 15:15, COMPLETED 16:05 (labor 2 h, 2 x FILTER-20)      travel 40, on site 100, on time
 * J3 created 16:30 at U1 (so J1 is not a first-time fix)
 * J2 Beta, unit U2, anna, slot 17:00-18:00: EN_ROUTE 17:40, ON_SITE 18:20, COMPLETED 19:00
 *    (labor 40 min, BELT-5, FILTER-20)                              travel 40, on site 40, late
 * J3 Acme, U1, ben, slot 01:00-02:00 (D+1 UTC, 20:00 local D): ON_SITE 00:45, COMPLETED 02:30
 *    (2 x BELT-5)                                                   no travel, on site 105, early
 * J4 Beta, no equipment, ben, slot 15:00 D: stays DISPATCHED; J5 Acme, window D: SCHEDULED;
 * J7 Beta, ben, slot 18:00 D: CANCELLED; J6 Beta, anna, slot D+1 14:00: DISPATCHED (not on D)
 * Invoices drafted 03:00 D+1 (22:00 local D), J1 and J2 approved 03:10, J1 sent 03:20.
 * </pre>
 */
abstract class ReportFixture {
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final LocalDate D = LocalDate.of(2026, 3, 2);
  static final Caller DISPATCHER = new Caller("dora", Set.of(Role.DISPATCHER));
  static final Caller FINANCE = new Caller("fin", Set.of(Role.FINANCE));
  static final Caller ANNA = new Caller("anna", Set.of(Role.TECHNICIAN));
  static final Caller BEN = new Caller("ben", Set.of(Role.TECHNICIAN));

  @Rule public final TestDatabase db = new TestDatabase();
  @Rule public final TemporaryFolder media = new TemporaryFolder();

  final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
  WorkOrderServiceImpl jobs;
  SyncServiceImpl sync;
  InvoiceServiceImpl billing;
  ReportServiceImpl reports;
  String anna;
  String ben;
  String acme;
  String beta;
  String j1;
  String j2;
  String j3;
  String j4;
  String sentInvoice;
  long annaSeq;
  long benSeq;
  final List<List<FieldEvent>> annaBatches = new ArrayList<>();

  @Before
  public void buildTheDay() {
    users("anna", "ben");
    TechnicianServiceImpl technicians = new TechnicianServiceImpl(db);
    anna =
        technicians
            .create(new TechnicianDraft("Anna", "anna", List.of("hvac"), null), DISPATCHER)
            .id();
    ben =
        technicians
            .create(new TechnicianDraft("Ben", "ben", List.of("hvac"), null), DISPATCHER)
            .id();
    CustomerServiceImpl customers = new CustomerServiceImpl(db);
    acme =
        customers
            .create(
                new CustomerDraft("Acme", null, null, new BigDecimal("0.08"), "USD"), DISPATCHER)
            .id();
    beta =
        customers
            .create(
                new CustomerDraft("Beta", null, null, new BigDecimal("0.10"), "USD"), DISPATCHER)
            .id();
    SiteServiceImpl sites = new SiteServiceImpl(db);
    String s1 = sites.create(new SiteDraft(acme, "1 Main St", null, null, null), DISPATCHER).id();
    String s2 = sites.create(new SiteDraft(beta, "2 Side St", null, null, null), DISPATCHER).id();
    EquipmentServiceImpl equipment = new EquipmentServiceImpl(db);
    String u1 =
        equipment
            .create(new EquipmentDraft(s1, "hvac.rtu", "Carrier", "48TC", "SN-1", null), DISPATCHER)
            .id();
    String u2 =
        equipment
            .create(new EquipmentDraft(s2, "hvac.rtu", "Trane", "XR", "SN-2", null), DISPATCHER)
            .id();
    PriceBookServiceImpl prices = new PriceBookServiceImpl(db);
    prices.createLaborRate(
        new LaborRateDraft("STD", "Standard hour", new BigDecimal("90.00"), "USD", null), FINANCE);
    prices.createPart(
        new PartDraft("FILTER-20", "Filter 20x20", new BigDecimal("12.50"), "USD", null), FINANCE);
    prices.createPart(
        new PartDraft("BELT-5", "Belt 5", new BigDecimal("7.25"), "USD", null), FINANCE);
    jobs = JobsForReportTests.workOrders(db, prices, clock, NEW_YORK);
    sync = new SyncServiceImpl(db, jobs, new MediaServiceImpl(db, mediaConfig()));
    billing = BillingForReportTests.invoices(db, jobs, customers, clock);
    reports = new ReportServiceImpl(db, jobs, clock, true);

    j1 = job(acme, s1, List.of(u1), "hvac.maintenance", "13:00", "22:00", anna, "14:00", "16:00");
    j2 = job(beta, s2, List.of(u2), "hvac.repair", "13:00", "22:00", anna, "17:00", "18:00");
    j4 = job(beta, s2, List.of(), "plumbing", "13:00", "22:00", ben, "15:00", "16:00");
    String j5 = job(acme, s1, List.of(), "hvac.maintenance", "13:00", "22:00", null, null, null);
    jobs.transition(j5, null, JobStatus.SCHEDULED, null, DISPATCHER);
    String j7 = job(beta, s2, List.of(), "plumbing", "13:00", "22:00", ben, "18:00", "19:00");
    jobs.transition(j7, null, JobStatus.CANCELLED, "customer called", DISPATCHER);
    String j6 =
        jobs.create(
                draft(
                    beta,
                    s2,
                    List.of(),
                    "plumbing",
                    at("2026-03-03T13:00"),
                    at("2026-03-03T22:00")),
                DISPATCHER)
            .id();
    jobs.assign(
        j6,
        null,
        new Assignment(List.of(anna), at("2026-03-03T14:00"), at("2026-03-03T15:00")),
        DISPATCHER);

    anna(j1, "2026-03-02T13:30", status("EN_ROUTE"));
    anna(j1, "2026-03-02T14:10", status("ON_SITE"));
    anna(j1, "2026-03-02T15:00", status("PAUSED"));
    anna(j1, "2026-03-02T15:15", status("ON_SITE"));
    anna(
        j1,
        "2026-03-02T16:05",
        labor("2026-03-02T14:05:00Z", "2026-03-02T16:05:00Z"),
        part("FILTER-20", 2),
        status("COMPLETED"));
    clock.set("2026-03-02T16:30");
    j3 =
        jobs.create(
                draft(
                    acme,
                    s1,
                    List.of(u1),
                    "hvac.repair",
                    at("2026-03-03T00:00"),
                    at("2026-03-03T03:00")),
                DISPATCHER)
            .id();
    jobs.assign(
        j3,
        null,
        new Assignment(List.of(ben), at("2026-03-03T01:00"), at("2026-03-03T02:00")),
        DISPATCHER);
    anna(j2, "2026-03-02T17:40", status("EN_ROUTE"));
    anna(j2, "2026-03-02T18:20", status("ON_SITE"));
    anna(
        j2,
        "2026-03-02T19:00",
        labor("2026-03-02T18:20:00Z", "2026-03-02T19:00:00Z"),
        part("BELT-5", 1),
        part("FILTER-20", 1),
        status("COMPLETED"));
    // the same upload again (answer lost): four duplicates; then a part the price book lacks
    List<EventResult> again =
        sync.ingest(new EventBatch("anna-phone", annaBatches.get(annaBatches.size() - 1)), ANNA);
    again.forEach(r -> assertEquals(Outcome.DUPLICATE, r.outcome()));
    List<EventResult> rejected =
        upload("anna-phone", ANNA, j2, "2026-03-02T19:10", part("NOPE-1", 1));
    assertEquals(Outcome.REJECTED, rejected.get(0).outcome());
    ben(j3, "2026-03-03T00:45", status("ON_SITE"));
    ben(j3, "2026-03-03T02:30", part("BELT-5", 2), status("COMPLETED"));

    clock.set("2026-03-03T03:00");
    Invoice i1 = billing.draftFor(j1);
    sentInvoice = i1.id();
    Invoice i2 = billing.draftFor(j2);
    assertNotNull(billing.draftFor(j3));
    clock.set("2026-03-03T03:10");
    billing.approve(i1.id(), null, FINANCE);
    billing.approve(i2.id(), null, FINANCE);
    clock.set("2026-03-03T03:20");
    billing.send(i1.id(), null, FINANCE);
    clock.set("2026-03-05T03:00");
  }

  @After
  public void stop() {
    if (billing != null) {
      BillingForReportTests.close(billing);
    }
  }

  // ---------------------------------------------------------------- helpers

  Report run(String name, LocalDate from, LocalDate to, String groupBy, Caller caller) {
    return reports.run(name, new ReportQuery(from, to, groupBy, null), caller);
  }

  static void assertField(String field, Runnable call) {
    ValidationException e = assertThrows(ValidationException.class, call::run);
    assertTrue(e.errors().toString(), e.errors().stream().anyMatch(f -> f.field().equals(field)));
  }

  static void assertCounts(Map<String, Object> row, Map<String, Integer> expected, long total) {
    for (JobStatus s : JobStatus.values()) {
      assertEquals(s.name(), (long) expected.getOrDefault(s.name(), 0), row.get(s.name()));
    }
    assertEquals(total, row.get("total"));
  }

  static List<String> groups(Report r) {
    return r.rows().stream().map(x -> (String) x.get("group")).toList();
  }

  static Map<String, Object> row(Report r, String group) {
    return rowWhere(r, x -> group.equals(x.get("group")));
  }

  static Map<String, Object> rowWhere(
      Report r, java.util.function.Predicate<Map<String, Object>> p) {
    return r.rows().stream()
        .filter(p)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no such row in " + r.rows()));
  }

  String job(
      String customer,
      String site,
      List<String> units,
      String type,
      String windowFrom,
      String windowTo,
      String technician,
      String slotFrom,
      String slotTo) {
    String id =
        jobs.create(
                draft(
                    customer,
                    site,
                    units,
                    type,
                    at("2026-03-02T" + windowFrom),
                    at("2026-03-02T" + windowTo)),
                DISPATCHER)
            .id();
    if (technician != null) {
      jobs.assign(
          id,
          null,
          new Assignment(
              List.of(technician), at("2026-03-02T" + slotFrom), at("2026-03-02T" + slotTo)),
          DISPATCHER);
    }
    return id;
  }

  WorkOrderDraft draft(
      String customer, String site, List<String> units, String type, Instant from, Instant to) {
    String siteId = site;
    if (siteId == null) {
      siteId =
          new SiteServiceImpl(db)
              .create(new SiteDraft(customer, "3 Dst Rd", null, null, null), DISPATCHER)
              .id();
    }
    return new WorkOrderDraft(
        customer, siteId, units, "job", null, type, Priority.NORMAL, from, to, 60, List.of());
  }

  void anna(String job, String at, Map<String, Object>... events) {
    annaBatches.add(batch(job, at, ++annaSeq * 10, events));
    List<EventResult> results =
        sync.ingest(new EventBatch("anna-phone", annaBatches.get(annaBatches.size() - 1)), ANNA);
    results.forEach(res -> assertEquals(res.toString(), Outcome.APPLIED, res.outcome()));
  }

  void ben(String job, String at, Map<String, Object>... events) {
    List<FieldEvent> b = batch(job, at, ++benSeq * 10, events);
    sync.ingest(new EventBatch("ben-phone", b), BEN)
        .forEach(res -> assertEquals(res.toString(), Outcome.APPLIED, res.outcome()));
  }

  List<EventResult> upload(
      String device, Caller who, String job, String at, Map<String, Object>... events) {
    return sync.ingest(new EventBatch(device, batch(job, at, ++annaSeq * 10, events)), who);
  }

  /** Events of one upload at {@code at} (the server's clock is set there). */
  List<FieldEvent> batch(String job, String at, long seq, Map<String, Object>... events) {
    clock.set(at);
    long version = jobs.get(job).version();
    List<FieldEvent> out = new ArrayList<>();
    for (Map<String, Object> e : events) {
      Map<String, Object> data = new HashMap<>(e);
      String type = (String) data.remove("type");
      out.add(
          new FieldEvent(
              UUID.randomUUID().toString(), seq++, job, type, clock.instant(), version, data));
    }
    return out;
  }

  static Map<String, Object> status(String to) {
    return Map.of("type", "status", "to", to);
  }

  static Map<String, Object> labor(String from, String to) {
    return Map.of("type", "labor", "startedAt", from, "endedAt", to, "rateCode", "STD");
  }

  static Map<String, Object> part(String sku, int quantity) {
    return Map.of("type", "part", "sku", sku, "quantity", quantity);
  }

  static Instant at(String localDateTimeUtc) {
    return java.time.LocalDateTime.parse(localDateTimeUtc).toInstant(ZoneOffset.UTC);
  }

  void users(String... names) {
    Instant now = Instant.now();
    db.inTransaction(
        em -> {
          for (String name : names) {
            UserAccountEntity u = new UserAccountEntity();
            u.username = name;
            u.passwordHash = "x";
            u.roles = "technician";
            u.disabled = false;
            u.createdAt = now;
            u.updatedAt = now;
            u.updatedBy = "test";
            em.persist(u);
          }
          return null;
        });
  }

  MediaServiceImpl.Config mediaConfig() {
    String dir = media.getRoot().toString();
    return new MediaServiceImpl.Config() {
      @Override
      public long maxBytes() {
        return 1_000_000;
      }

      @Override
      public String directory() {
        return dir;
      }

      @Override
      public int unreferencedDays() {
        return 30;
      }

      @Override
      public int purgeHour() {
        return 3;
      }

      @Override
      public Class<? extends Annotation> annotationType() {
        return MediaServiceImpl.Config.class;
      }
    };
  }

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant start) {
      this.now = start;
    }

    void set(String utc) {
      now = at(utc);
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
