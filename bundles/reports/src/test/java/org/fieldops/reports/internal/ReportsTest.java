package org.fieldops.reports.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.reports.Report;
import org.fieldops.api.reports.ReportQuery;
import org.fieldops.jobs.internal.JobsForReportTests;
import org.junit.Test;

/** Every report against the fixture day of {@link ReportFixture}, figures worked out by hand. */
public class ReportsTest extends ReportFixture {
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
    ReportServiceImpl now = new ReportServiceImpl(db, jobs, Clock.systemUTC(), true);
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
}
