package org.fieldops.reports.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
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
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.NotFoundException;
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
import org.junit.Test;
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
public class ReportsTest {
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
    reports = new ReportServiceImpl(db, jobs, clock);

    j1 = job(acme, s1, List.of(u1), "hvac.maintenance", "13:00", "22:00", anna, "14:00", "16:00");
    j2 = job(beta, s2, List.of(u2), "hvac.repair", "13:00", "22:00", anna, "17:00", "18:00");
    job(beta, s2, List.of(), "plumbing", "13:00", "22:00", ben, "15:00", "16:00"); // J4
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

  // ---------------------------------------------------------------- the figures

  @Test
  public void jobsByStatusOnTheDayInTheBusinessZone() {
    Report r = run("job-status", D, D, "day", DISPATCHER);
    assertEquals(1, r.rows().size());
    Map<String, Object> day = r.rows().get(0);
    assertEquals("2026-03-02", day.get("group"));
    // J1 CLOSED, J2 INVOICED, J3 COMPLETED (slot 01:00 UTC next day = 20:00 local), J4
    // DISPATCHED, J5 SCHEDULED (window only), J7 CANCELLED; J6 is on the next day
    assertCounts(
        day,
        Map.of(
            "CLOSED",
            1,
            "INVOICED",
            1,
            "COMPLETED",
            1,
            "DISPATCHED",
            1,
            "SCHEDULED",
            1,
            "CANCELLED",
            1),
        6);
    assertEquals(6L, r.totals().get("total"));

    Report two = run("job-status", D, D.plusDays(1), "day", DISPATCHER);
    assertEquals(List.of("2026-03-02", "2026-03-03"), groups(two));
    assertCounts(two.rows().get(1), Map.of("DISPATCHED", 1), 1);
    assertEquals(7L, two.totals().get("total"));

    Report byTech = run("job-status", D, D, "technician", DISPATCHER);
    Map<String, Object> annaRow = row(byTech, anna);
    assertEquals("Anna", annaRow.get("label"));
    assertCounts(annaRow, Map.of("CLOSED", 1, "INVOICED", 1), 2);
    Map<String, Object> none = row(byTech, "");
    assertEquals("(no technician)", none.get("label"));
    assertEquals(1L, none.get("SCHEDULED"));
  }

  @Test
  public void completionsAndFirstTimeFix() {
    Report r = run("completions", D, D, null, DISPATCHER);
    assertEquals("technician", r.groupBy());
    Map<String, Object> a = row(r, anna);
    assertEquals(2L, a.get("completed"));
    assertEquals(2L, a.get("withEquipment"));
    assertEquals(1L, a.get("firstTimeFixed")); // J1 had a revisit (J3) at U1 within 30 days
    assertEquals(new BigDecimal("0.5000"), a.get("firstTimeFixRate"));
    Map<String, Object> b = row(r, ben);
    assertEquals(1L, b.get("completed"));
    assertEquals(new BigDecimal("1.0000"), b.get("firstTimeFixRate"));
    assertEquals(3L, r.totals().get("completed"));
    assertEquals(2L, r.totals().get("firstTimeFixed"));
    assertEquals(new BigDecimal("0.6667"), r.totals().get("firstTimeFixRate"));

    // J3 completed at 02:30 UTC on D+1, which is still D in New York
    assertEquals(
        List.of("2026-03-02"), groups(run("completions", D, D.plusDays(1), "day", DISPATCHER)));
    assertEquals(
        0L,
        run("completions", D.plusDays(1), D.plusDays(1), null, DISPATCHER)
            .totals()
            .get("completed"));
  }

  @Test
  public void travelTimeOnSiteAndScheduleAdherence() {
    Report r = run("job-times", D, D, "technician", DISPATCHER);
    Map<String, Object> a = row(r, anna);
    assertEquals(2L, a.get("jobs"));
    assertEquals(new BigDecimal("80.00"), a.get("travelMinutes"));
    assertEquals(new BigDecimal("40.00"), a.get("avgTravelMinutes"));
    assertEquals(new BigDecimal("140.00"), a.get("onSiteMinutes")); // 50 + 50 (pause left out) + 40
    assertEquals(new BigDecimal("70.00"), a.get("avgOnSiteMinutes"));
    assertEquals(2L, a.get("arrivals"));
    assertEquals(1L, a.get("onTime"));
    assertEquals(1L, a.get("late"));
    assertEquals(0L, a.get("early"));
    assertEquals(new BigDecimal("0.5000"), a.get("adherenceRate"));
    Map<String, Object> b = row(r, ben);
    assertEquals(new BigDecimal("0.00"), b.get("travelMinutes"));
    assertNull(b.get("avgTravelMinutes")); // never en route
    assertEquals(new BigDecimal("105.00"), b.get("onSiteMinutes"));
    assertEquals(1L, b.get("early"));
    assertEquals(new BigDecimal("0.0000"), b.get("adherenceRate"));
    assertEquals(new BigDecimal("245.00"), r.totals().get("onSiteMinutes"));
    assertEquals(new BigDecimal("81.67"), r.totals().get("avgOnSiteMinutes"));
    assertEquals(new BigDecimal("0.3333"), r.totals().get("adherenceRate"));

    Report perJob = run("job-times", D, D, "job", DISPATCHER);
    assertEquals(new BigDecimal("100.00"), row(perJob, j1).get("onSiteMinutes"));
    assertEquals(new BigDecimal("40.00"), row(perJob, j2).get("travelMinutes"));
    assertEquals(new BigDecimal("105.00"), row(perJob, j3).get("onSiteMinutes"));
  }

  @Test
  public void partsUsedBySkuAndTechnician() {
    Report r = run("parts", D, D, null, DISPATCHER);
    assertEquals(List.of("BELT-5", "FILTER-20"), groups(r));
    Map<String, Object> belt = row(r, "BELT-5");
    assertEquals("Belt 5", belt.get("label"));
    assertEquals(new BigDecimal("3.00"), belt.get("quantity"));
    assertEquals("21.75", belt.get("value"));
    assertEquals("USD", belt.get("currency"));
    assertEquals("37.50", row(r, "FILTER-20").get("value"));
    assertEquals("59.25", r.totals().get("value"));

    Report byTech = run("parts", D, D, "technician", DISPATCHER);
    assertEquals(3, byTech.rows().size());
    assertEquals("14.50", rowWhere(byTech, anyRow -> ben.equals(anyRow.get("group"))).get("value"));
  }

  @Test
  public void laborLoggedAgainstBilled() {
    Report r = run("labor", D, D, null, DISPATCHER);
    Map<String, Object> a = row(r, anna);
    assertEquals(new BigDecimal("2.67"), a.get("loggedHours")); // 2 h + 40 min
    assertEquals(new BigDecimal("2.75"), a.get("billedHours")); // 2 h + 45 min (15-min increments)
    assertEquals(new BigDecimal("1.0312"), a.get("billedRatio")); // 2.75 / 2.6667
  }

  @Test
  public void revenueIsFinanceOnly() {
    assertThrows(AccessDeniedException.class, () -> run("revenue", D, D, null, DISPATCHER));
    assertThrows(AccessDeniedException.class, () -> run("drafts", D, D, null, DISPATCHER));
    Report r = run("revenue", D, D, null, FINANCE);
    Map<String, Object> day = r.rows().get(0);
    assertEquals("2026-03-02", day.get("group"));
    // J1 205.00 + 8 % = 221.40; J2 87.25 + 10 % (8.725 -> 8.72) = 95.97; J3 14.50 + 8 % = 15.66
    assertEquals(3L, day.get("invoicedCount"));
    assertEquals("333.03", day.get("invoiced"));
    assertEquals(2L, day.get("approvedCount"));
    assertEquals("317.37", day.get("approved"));
    assertEquals("221.40", day.get("sent"));
    assertEquals("0.00", day.get("voided"));

    Report byCustomer = run("revenue", D, D, "customer", FINANCE);
    assertEquals("237.06", row(byCustomer, acme).get("invoiced"));
    assertEquals("Beta", row(byCustomer, beta).get("label"));
    assertEquals(0L, row(byCustomer, beta).get("sentCount"));

    Report drafts = run("drafts", D, D, null, FINANCE);
    Map<String, Object> open = row(drafts, acme);
    assertEquals(1L, open.get("drafts"));
    assertEquals("15.66", open.get("total"));
    assertEquals(new BigDecimal("2.00"), open.get("oldestAgeDays")); // drafted 2 days before now
    assertEquals(new BigDecimal("2.00"), open.get("avgAgeDays"));
  }

  @Test
  public void syncHealthAndRejectionReasons() {
    // uploads are stamped with the server's real clock: read today's
    ReportServiceImpl now = new ReportServiceImpl(db, jobs, Clock.systemUTC());
    LocalDate today = LocalDate.now(NEW_YORK);
    Report r =
        now.run("sync-health", new ReportQuery(today.minusDays(1), today, null, null), DISPATCHER);
    Map<String, Object> a = row(r, anna);
    assertEquals(10L, a.get("uploads")); // 5 for J1, 3 for J2, the repeat, the rejected part
    assertEquals(18L, a.get("events"));
    assertEquals(13L, a.get("applied"));
    assertEquals(4L, a.get("duplicates"));
    assertEquals(1L, a.get("rejected"));
    assertEquals(new BigDecimal("0.0714"), a.get("rejectionRate")); // 1 of 14 judged
    assertEquals(false, a.get("stale"));
    assertNotNull(a.get("lastSyncAt"));
    Map<String, Object> b = row(r, ben);
    assertEquals(2L, b.get("uploads"));
    assertEquals(3L, b.get("applied"));
    assertEquals(12L, r.totals().get("uploads"));

    Report reasons =
        now.run(
            "rejection-reasons",
            new ReportQuery(today.minusDays(1), today, null, null),
            DISPATCHER);
    assertEquals(1, reasons.rows().size());
    assertEquals("UNKNOWN_CODE", reasons.rows().get(0).get("group"));
    assertEquals(1L, reasons.rows().get(0).get("rejected"));
    assertEquals(new BigDecimal("1.0000"), reasons.rows().get(0).get("share"));
  }

  @Test
  public void aReopenedJobCountsOnlyWhenCompletedAgain() {
    // J3 (draft invoice, not approved) is re-opened by the office, then completed again on the 5th
    jobs.transition(j3, null, JobStatus.DISPATCHED, "customer called back", DISPATCHER);
    assertEquals(2L, run("completions", D, D, null, DISPATCHER).totals().get("completed"));
    ben(j3, "2026-03-05T14:00", status("ON_SITE"));
    ben(j3, "2026-03-05T15:00", status("COMPLETED"));
    assertEquals(2L, run("completions", D, D, null, DISPATCHER).totals().get("completed"));
    Report later = run("completions", D, LocalDate.of(2026, 3, 5), "day", DISPATCHER);
    assertEquals(List.of("2026-03-02", "2026-03-05"), groups(later));
    assertEquals(3L, later.totals().get("completed"));
    // its time on site is both visits': 105 + 60 minutes
    Report times = run("job-times", D, LocalDate.of(2026, 3, 5), "job", DISPATCHER);
    assertEquals(new BigDecimal("165.00"), row(times, j3).get("onSiteMinutes"));
  }

  @Test
  public void aRevisitMakesAFixNotFirstTimeUnlessCancelled() {
    // a new job at J2's unit within 30 days of J2's completion
    clock.set("2026-03-05T09:00");
    String unit = jobs.get(j2).equipmentIds().get(0);
    String again =
        jobs.create(
                draft(
                    beta,
                    jobs.get(j2).siteId(),
                    List.of(unit),
                    "hvac.repair",
                    at("2026-03-06T13:00"),
                    at("2026-03-06T22:00")),
                DISPATCHER)
            .id();
    assertEquals(0L, row(run("completions", D, D, null, DISPATCHER), anna).get("firstTimeFixed"));
    jobs.transition(again, null, JobStatus.CANCELLED, "duplicate", DISPATCHER);
    assertEquals(1L, row(run("completions", D, D, null, DISPATCHER), anna).get("firstTimeFixed"));
  }

  @Test
  public void completionsFromBeforeTheUpgradeAreFilledInTheSame() {
    Report before = run("job-times", D, D, "job", DISPATCHER);
    Report fixes = run("completions", D, D, null, DISPATCHER);
    db.inTransaction(em -> em.createNativeQuery("DELETE FROM FO_JOB_COMPLETION").executeUpdate());
    assertEquals(0L, run("completions", D, D, null, DISPATCHER).totals().get("completed"));
    assertEquals(3, JobsForReportTests.backfillCompletions(db));
    assertEquals(before.rows(), run("job-times", D, D, "job", DISPATCHER).rows());
    assertEquals(fixes.rows(), run("completions", D, D, null, DISPATCHER).rows());
    assertEquals(0, JobsForReportTests.backfillCompletions(db));
  }

  // ---------------------------------------------------------------- rules

  @Test
  public void badQueriesNameTheirField() {
    assertField("to", () -> run("job-status", D, D.minusDays(1), null, DISPATCHER));
    assertField("to", () -> run("job-status", D, D.plusDays(366), null, DISPATCHER));
    assertField("groupBy", () -> run("job-status", D, D, "sku", DISPATCHER));
    assertField(
        "staleAfterMinutes",
        () -> reports.run("sync-health", new ReportQuery(D, D, null, 0), DISPATCHER));
    assertThrows(NotFoundException.class, () -> run("nope", D, D, null, DISPATCHER));
    assertThrows(AccessDeniedException.class, () -> run("job-status", D, D, null, ANNA));
    assertEquals(
        List.of(
            "job-status",
            "completions",
            "job-times",
            "parts",
            "labor",
            "sync-health",
            "rejection-reasons"),
        reports.definitions(DISPATCHER).stream().map(d -> d.name()).toList());
    assertEquals(9, reports.definitions(FINANCE).size());
  }

  @Test
  public void aDayCutByDaylightSavingIsOneDay() {
    // 2026-03-08: New York goes from UTC-5 to UTC-4 at 07:00 UTC. 04:30 UTC on the 9th is 00:30
    // local on the 9th (it would be the 8th at the old offset); 05:30 UTC on the 8th is 00:30 on
    // the 8th
    clock.set("2026-03-07T12:00");
    String late =
        jobs.create(
                draft(
                    acme,
                    null,
                    List.of(),
                    "hvac.repair",
                    at("2026-03-09T04:30"),
                    at("2026-03-09T05:00")),
                DISPATCHER)
            .id();
    String early =
        jobs.create(
                draft(
                    acme,
                    null,
                    List.of(),
                    "hvac.repair",
                    at("2026-03-08T05:30"),
                    at("2026-03-08T06:00")),
                DISPATCHER)
            .id();
    assertNotNull(late);
    assertNotNull(early);
    Report r =
        run("job-status", LocalDate.of(2026, 3, 8), LocalDate.of(2026, 3, 9), "day", DISPATCHER);
    assertEquals(r.rows().toString(), List.of("2026-03-08", "2026-03-09"), groups(r));
    assertEquals(1L, r.rows().get(0).get("NEW"));
    assertEquals(1L, r.rows().get(1).get("NEW"));
    assertEquals(2L, r.totals().get("NEW"));
  }

  // ---------------------------------------------------------------- helpers

  private Report run(String name, LocalDate from, LocalDate to, String groupBy, Caller caller) {
    return reports.run(name, new ReportQuery(from, to, groupBy, null), caller);
  }

  private static void assertField(String field, Runnable call) {
    ValidationException e = assertThrows(ValidationException.class, call::run);
    assertTrue(e.errors().toString(), e.errors().stream().anyMatch(f -> f.field().equals(field)));
  }

  private static void assertCounts(
      Map<String, Object> row, Map<String, Integer> expected, long total) {
    for (JobStatus s : JobStatus.values()) {
      assertEquals(s.name(), (long) expected.getOrDefault(s.name(), 0), row.get(s.name()));
    }
    assertEquals(total, row.get("total"));
  }

  private static List<String> groups(Report r) {
    return r.rows().stream().map(x -> (String) x.get("group")).toList();
  }

  private static Map<String, Object> row(Report r, String group) {
    return rowWhere(r, x -> group.equals(x.get("group")));
  }

  private static Map<String, Object> rowWhere(
      Report r, java.util.function.Predicate<Map<String, Object>> p) {
    return r.rows().stream()
        .filter(p)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no such row in " + r.rows()));
  }

  private String job(
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

  private WorkOrderDraft draft(
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

  private void anna(String job, String at, Map<String, Object>... events) {
    annaBatches.add(batch(job, at, ++annaSeq * 10, events));
    List<EventResult> results =
        sync.ingest(new EventBatch("anna-phone", annaBatches.get(annaBatches.size() - 1)), ANNA);
    results.forEach(res -> assertEquals(res.toString(), Outcome.APPLIED, res.outcome()));
  }

  private void ben(String job, String at, Map<String, Object>... events) {
    List<FieldEvent> b = batch(job, at, ++benSeq * 10, events);
    sync.ingest(new EventBatch("ben-phone", b), BEN)
        .forEach(res -> assertEquals(res.toString(), Outcome.APPLIED, res.outcome()));
  }

  private List<EventResult> upload(
      String device, Caller who, String job, String at, Map<String, Object>... events) {
    return sync.ingest(new EventBatch(device, batch(job, at, ++annaSeq * 10, events)), who);
  }

  /** Events of one upload at {@code at} (the server's clock is set there). */
  private List<FieldEvent> batch(String job, String at, long seq, Map<String, Object>... events) {
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

  private static Map<String, Object> status(String to) {
    return Map.of("type", "status", "to", to);
  }

  private static Map<String, Object> labor(String from, String to) {
    return Map.of("type", "labor", "startedAt", from, "endedAt", to, "rateCode", "STD");
  }

  private static Map<String, Object> part(String sku, int quantity) {
    return Map.of("type", "part", "sku", sku, "quantity", quantity);
  }

  private static Instant at(String localDateTimeUtc) {
    return java.time.LocalDateTime.parse(localDateTimeUtc).toInstant(ZoneOffset.UTC);
  }

  private void users(String... names) {
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

  private MediaServiceImpl.Config mediaConfig() {
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
