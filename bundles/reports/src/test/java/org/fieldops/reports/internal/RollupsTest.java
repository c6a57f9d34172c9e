package org.fieldops.reports.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.LineDraft;
import org.fieldops.api.jobs.LineKind;
import org.fieldops.api.reports.Report;
import org.fieldops.api.reports.ReportDefinition;
import org.fieldops.api.reports.ReportQuery;
import org.fieldops.store.ReportRollupEntity;
import org.junit.Before;
import org.junit.Test;

/**
 * Roll-ups only make reports faster: every report, grouping and range reads the same figures with
 * them as from the facts alone, before and after late changes to rolled-up days (a line voided,
 * labor added, a job re-opened and reassigned, an invoice approved) and after those days are rolled
 * up again; a month's roll-up likewise. The roll-ups are shown to be read (a doctored one shows)
 * and a change to its day to win over it at once.
 */
public class RollupsTest extends ReportFixture {
  RollupBuilder builder;
  ReportServiceImpl facts;

  @Before
  public void builder() {
    builder = new RollupBuilder(db, jobs, clock, 800);
    facts = new ReportServiceImpl(db, jobs, clock, false);
  }

  @Test
  public void rolledUpDaysReadTheSameAsTheFacts() {
    // now 2026-03-04 22:00 in New York: March 1st to 3rd are closed; six figures have facts then
    // (uploads and rejected events are stamped with the real clock: see the test below)
    int[] built = builder.pass();
    assertEquals("days rolled up: " + stored(), 3 * 6, built[0]);
    assertEquals(0, built[1]); // March is not over
    assertEquals(0, builder.pass()[0]); // nothing changed since
    assertAllTheSame("rolled up");
    assertEquals(0L, marksBefore("2026-03-04T05:00:00Z"));

    lateChanges();
    assertTrue(marksBefore("2026-03-04T05:00:00Z") > 0);
    assertAllTheSame("changed after the roll-up");

    built = builder.pass();
    assertTrue("days rolled up again: " + built[0], built[0] >= 1);
    assertEquals(0L, marksBefore("2026-03-04T05:00:00Z"));
    assertAllTheSame("rolled up again");
  }

  @Test
  public void aRollUpIsReadAndAChangeToItsDayWinsAtOnce() {
    builder.pass();
    assertEquals(2L, row(run("completions", D, D, "technician"), anna).get("completed"));
    // doctor anna's completions on D in the stored roll-up: the report shows it, the facts do not
    String id = Rollups.id("completions", "technician", NEW_YORK, Rollups.DAY, D);
    db.inTransaction(
        em -> {
          ReportRollupEntity r = em.find(ReportRollupEntity.class, id);
          Map<String, Map<String, Object>> rows = RollupCodec.decode(r.data);
          rows.get(anna).put("completed", new BigDecimal(102));
          r.data = RollupCodec.encode(rows);
          return null;
        });
    assertEquals(102L, row(run("completions", D, D, "technician"), anna).get("completed"));
    assertEquals(
        2L,
        row(facts.run("completions", new ReportQuery(D, D, "technician", null), FINANCE), anna)
            .get("completed"));

    // the office re-opens ben's J3 (completed on D): D is read from the facts at once
    jobs.transition(j3, null, JobStatus.DISPATCHED, "customer called back", DISPATCHER);
    Report now = run("completions", D, D, "technician");
    assertEquals(2L, row(now, anna).get("completed"));
    assertEquals(2L, now.totals().get("completed"));
    // and rolled up again from the facts
    assertTrue(builder.pass()[0] >= 1);
    assertEquals(2L, row(run("completions", D, D, "technician"), anna).get("completed"));
    assertAllTheSame("re-opened and rolled up again");
  }

  @Test
  public void aMonthRollUpReadsTheSameAsItsDays() {
    clock.set("2026-04-02T12:00");
    int[] built = builder.pass();
    assertEquals("months built: " + stored(), 6, built[1]); // March, for six figures
    long months =
        db.read(
            em ->
                em.createQuery(
                        "SELECT COUNT(r) FROM ReportRollupEntity r WHERE r.periodKind = 'MONTH'",
                        Long.class)
                    .getSingleResult());
    assertEquals(5 + 5 + 5 + 6 + 5 + 4, months); // each grouping of the six
    assertAllTheSame("March rolled up", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31));
    assertAllTheSame("across months", LocalDate.of(2026, 2, 20), LocalDate.of(2026, 4, 1));

    lateChanges();
    assertAllTheSame("March changed", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31));
    built = builder.pass();
    assertTrue(built[0] >= 1 && built[1] >= 1);
    assertAllTheSame("March rolled up again", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31));
  }

  @Test
  public void oneNodeRollsUpAtATime() {
    assertTrue(builder.pass()[0] > 0);
    RollupBuilder other = new RollupBuilder(db, jobs, clock, 800);
    jobs.assign(
        j4,
        null,
        new Assignment(List.of(anna), at("2026-03-02T15:00"), at("2026-03-02T16:00")),
        DISPATCHER);
    assertEquals(0, other.pass()[0]); // the first node holds the lease
    assertTrue(marksBefore("2026-03-04T05:00:00Z") > 0);
    assertEquals(1, builder.pass()[0]); // job-status on D
    clock.set("2026-03-05T03:06"); // the first node stopped renewing 5 minutes ago
    assertTrue(other.lease());
    assertTrue(!builder.lease());
  }

  @Test
  public void uploadsAndRejectedEventsRollUpToo() {
    // they were received today by the real clock: roll up as if two days had passed
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
    RollupBuilder b = new RollupBuilder(db, jobs, later, 31);
    assertTrue(b.pass()[0] > 0);
    assertTrue(stored(), stored().contains("uploads, DAY") && stored().contains("rejection"));
    LocalDate today = LocalDate.now(NEW_YORK);
    ReportServiceImpl rolled = new ReportServiceImpl(db, jobs, later, true);
    ReportServiceImpl fromFacts = new ReportServiceImpl(db, jobs, later, false);
    for (String name : List.of("sync-health", "rejection-reasons")) {
      for (String g : Definitions.find(name).groupBy()) {
        ReportQuery q = new ReportQuery(today.minusDays(1), today.plusDays(1), g, null);
        Report expected = fromFacts.run(name, q, FINANCE);
        Report actual = rolled.run(name, q, FINANCE);
        assertEquals(name + " by " + g, canonical(expected.rows()), canonical(actual.rows()));
        assertEquals(name + " by " + g, expected.totals(), actual.totals());
        assertTrue(name + " by " + g, !expected.rows().isEmpty());
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Changes to the rolled-up days, as the office would make them days later. */
  private void lateChanges() {
    // J3 (completed on D, draft invoice): a part voided, labor added, the invoice approved
    JobLine belt =
        jobs.get(j3).parts().stream().filter(l -> l.code().equals("BELT-5")).findFirst().get();
    jobs.updateLine(j3, belt.id(), belt.version(), Map.of("voided", true), DISPATCHER);
    jobs.addLine(
        j3,
        new LineDraft(
            LineKind.LABOR,
            "STD",
            null,
            null,
            null,
            at("2026-03-03T00:45"),
            at("2026-03-03T02:30"),
            null,
            ben),
        DISPATCHER);
    Invoice draft = billing.draftFor(j3);
    billing.approve(draft.id(), null, FINANCE);
    // J1's sent invoice voided
    billing.voidInvoice(sentInvoice, null, "wrong customer", FINANCE);
    // J4 (dispatched on D) given to anna
    jobs.assign(
        j4,
        null,
        new Assignment(List.of(anna), at("2026-03-02T15:00"), at("2026-03-02T16:00")),
        DISPATCHER);
  }

  private String stored() {
    return db.read(
        em ->
            em
                .createNativeQuery(
                    "SELECT FIGURE, PERIOD_KIND, COUNT(*), MIN(PERIOD_START) FROM FO_REPORT_ROLLUP"
                        + " WHERE GROUP_BY = 'total' GROUP BY FIGURE, PERIOD_KIND")
                .getResultList()
                .stream()
                .map(o -> java.util.Arrays.toString((Object[]) o))
                .toList()
                .toString());
  }

  private long marksBefore(String utc) {
    return db.read(
        em ->
            ((Number)
                    em.createNativeQuery(
                            "SELECT COUNT(*) FROM FO_REPORT_DIRTY WHERE FACT_TIME < ?1")
                        .setParameter(1, java.sql.Timestamp.from(java.time.Instant.parse(utc)))
                        .getSingleResult())
                .longValue());
  }

  private void assertAllTheSame(String when) {
    assertAllTheSame(when, D, D);
    assertAllTheSame(when, D.minusDays(1), D.plusDays(1));
    assertAllTheSame(when, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 4));
  }

  /** Every report, every grouping: rows and totals with roll-ups equal those from the facts. */
  private void assertAllTheSame(String when, LocalDate from, LocalDate to) {
    for (ReportDefinition def : reports.definitions(FINANCE)) {
      for (String g : def.groupBy()) {
        ReportQuery q = new ReportQuery(from, to, g, null);
        Report expected = facts.run(def.name(), q, FINANCE);
        Report actual = reports.run(def.name(), q, FINANCE);
        String what = when + ": " + def.name() + " by " + g + " " + from + ".." + to;
        assertEquals(what, canonical(expected.rows()), canonical(actual.rows()));
        assertEquals(what + " (totals)", expected.totals(), actual.totals());
      }
    }
  }

  private static List<String> canonical(List<Map<String, Object>> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.toString()));
    out.sort(null);
    return out;
  }

  private Report run(String name, LocalDate from, LocalDate to, String groupBy) {
    return reports.run(name, new ReportQuery(from, to, groupBy, null), FINANCE);
  }
}
