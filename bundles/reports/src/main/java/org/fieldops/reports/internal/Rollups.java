package org.fieldops.reports.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.Query;
import org.fieldops.store.ReportRollupEntity;

/**
 * Daily and monthly roll-ups of the report figures: a figure's grouped sums for one closed business
 * day (or a whole month), stored so that a long range reads a few hundred small tables instead of
 * millions of facts. A day is only read from its roll-up while no fact of it has changed since it
 * was rolled up: the database's triggers mark every change in {@code FO_REPORT_DIRTY}, and a marked
 * day is read from the facts (as is every day without a roll-up, today among them) until {@link
 * RollupBuilder} rolls it up again. So a report reads the same figures with or without roll-ups;
 * they only make it faster.
 */
final class Rollups {
  static final String DAY = "DAY";
  static final String MONTH = "MONTH";

  /**
   * One figure: the facts whose changes mark its days (the {@code FACT} of the marks), the
   * groupings kept per day ({@code total} stands for the day grouping too), how it is computed and
   * where its earliest fact is.
   */
  record Figure(
      String name,
      List<String> facts,
      List<String> groupings,
      Function<Grouping, Table> compute,
      List<String> firstSql) {
    /** The facts as an SQL list of literals, for {@code FACT IN (...)}. */
    String factList() {
      return String.join(",", facts.stream().map(x -> "'" + x + "'").toList());
    }
  }

  static final String UPLOADS = "uploads";

  private static final List<String> BY_JOB =
      List.of(Grouping.TOTAL, Grouping.DAY, "technician", "customer", "jobType");
  private static final String FIRST_COMPLETION =
      "SELECT MIN(C.COMPLETED_AT) FROM FO_JOB_COMPLETION C";

  static final Map<String, Figure> FIGURES = figures();

  private static Map<String, Figure> figures() {
    Map<String, Figure> m = new LinkedHashMap<>();
    for (Figure f :
        List.of(
            new Figure(
                Definitions.JOB_STATUS,
                List.of("JOB"),
                BY_JOB,
                Figures::jobStatus,
                List.of(
                    "SELECT MIN(J.SLOT_START) FROM FO_JOB J",
                    "SELECT MIN(J.WINDOW_START) FROM FO_JOB J")),
            new Figure(
                Definitions.COMPLETIONS,
                List.of("COMPLETION"),
                BY_JOB,
                Figures::completions,
                List.of(FIRST_COMPLETION)),
            new Figure(
                Definitions.JOB_TIMES,
                List.of("COMPLETION"),
                BY_JOB,
                Figures::jobTimes,
                List.of(FIRST_COMPLETION)),
            new Figure(
                Definitions.PARTS,
                List.of("LINE"),
                List.of(Grouping.TOTAL, Grouping.DAY, "sku", "technician", "customer", "jobType"),
                Figures::parts,
                List.of("SELECT MIN(L.CREATED_AT) FROM FO_JOB_LINE L WHERE L.KIND = 'PART'")),
            new Figure(
                Definitions.LABOR,
                List.of("COMPLETION"),
                BY_JOB,
                Figures::labor,
                List.of(FIRST_COMPLETION)),
            new Figure(
                Definitions.REVENUE,
                List.of("INVOICE"),
                List.of(Grouping.TOTAL, Grouping.DAY, "customer", "jobType"),
                Figures::revenue,
                List.of("SELECT MIN(I.CREATED_AT) FROM FO_INVOICE I")),
            new Figure(
                UPLOADS,
                List.of("UPLOAD"),
                List.of(Grouping.TOTAL, Grouping.DAY, "technician"),
                Figures::uploads,
                List.of("SELECT MIN(U.RECEIVED_AT) FROM FO_UPLOAD U")),
            new Figure(
                Definitions.REJECTIONS,
                List.of("EVENT"),
                List.of(Grouping.TOTAL, Grouping.DAY, "reason", "technician"),
                Figures::rejections,
                List.of(
                    "SELECT MIN(E.RECEIVED_AT) FROM FO_DEVICE_EVENT E"
                        + " WHERE E.OUTCOME = 'REJECTED'")))) {
      m.put(f.name(), f);
    }
    return m;
  }

  private final boolean enabled;

  /**
   * @param enabled false to read every figure from the facts (roll-ups kept but not read)
   */
  Rollups(boolean enabled) {
    this.enabled = enabled;
  }

  static String id(String figure, String groupBy, ZoneId zone, String kind, LocalDate start) {
    return figure + "|" + groupBy + "|" + zone.getId() + "|" + kind + "|" + start;
  }

  /**
   * The figure over the grouping's range: closed days and months from their roll-ups where they are
   * current, the rest (runs of days) from the facts.
   */
  Table table(String name, Grouping g) {
    Figure f = FIGURES.get(name);
    String stored = g.groupBy();
    if (!enabled || f == null || !f.groupings().contains(stored)) {
      return f == null ? null : f.compute().apply(g);
    }
    EntityManager em = g.em();
    ReportRange range = g.range();
    ZoneId zone = range.zone();
    Map<LocalDate, Object[]> days = new HashMap<>();
    Map<LocalDate, Object[]> months = new HashMap<>();
    LocalDate lastRolled = null;
    for (Object[] r :
        em.createQuery(
                "SELECT r.periodKind, r.periodStart, r.id, r.builtAt FROM ReportRollupEntity r"
                    + " WHERE r.figure = :f AND r.groupBy = :g AND r.zoneId = :z"
                    + " AND r.periodStart >= :a AND r.periodStart <= :b",
                Object[].class)
            .setParameter("f", name)
            .setParameter("g", stored)
            .setParameter("z", zone.getId())
            .setParameter("a", range.from().withDayOfMonth(1))
            .setParameter("b", range.to())
            .getResultList()) {
      LocalDate start = (LocalDate) r[1];
      if (DAY.equals(r[0])) {
        days.put(start, r);
        lastRolled = lastRolled == null || start.isAfter(lastRolled) ? start : lastRolled;
      } else {
        months.put(start, r);
      }
    }
    if (days.isEmpty()) {
      return f.compute().apply(g);
    }
    LocalDate dirtyTo = range.to().isBefore(lastRolled) ? range.to() : lastRolled;
    Set<LocalDate> dirty =
        dirtyTo.isBefore(range.from())
            ? Set.of()
            : dirtyDays(em, f, ReportRange.of(range.from(), dirtyTo, zone));

    List<String> ids = new ArrayList<>();
    List<ReportRange> live = new ArrayList<>();
    LocalDate runStart = null;
    LocalDate d = range.from();
    while (!d.isAfter(range.to())) {
      if (d.getDayOfMonth() == 1) {
        Object[] month = months.get(d);
        LocalDate end = YearMonth.from(d).atEndOfMonth();
        if (month != null && !end.isAfter(range.to()) && current(month, days, dirty, d, end)) {
          if (runStart != null) {
            live.add(ReportRange.of(runStart, d.minusDays(1), zone));
            runStart = null;
          }
          ids.add((String) month[2]);
          d = end.plusDays(1);
          continue;
        }
      }
      Object[] day = days.get(d);
      if (day != null && !dirty.contains(d)) {
        if (runStart != null) {
          live.add(ReportRange.of(runStart, d.minusDays(1), zone));
          runStart = null;
        }
        ids.add((String) day[2]);
      } else if (runStart == null) {
        runStart = d;
      }
      d = d.plusDays(1);
    }
    if (runStart != null) {
      live.add(ReportRange.of(runStart, range.to(), zone));
    }

    Table t = new Table();
    for (ReportRange part : live) {
      t.merge(f.compute().apply(g.over(part)).rows);
    }
    for (int i = 0; i < ids.size(); i += 100) {
      for (ReportRollupEntity r :
          em.createQuery(
                  "SELECT r FROM ReportRollupEntity r WHERE r.id IN :ids", ReportRollupEntity.class)
              .setParameter("ids", Grouping.chunk(ids, i, 100))
              .getResultList()) {
        RollupCodec.mergeInto(r.data, t);
      }
    }
    return t;
  }

  /**
   * A month's roll-up is current if none of its days is marked and it was built after each of its
   * days' roll-ups (a day rolled up again by another node after the month was built makes the month
   * stale; the builder then builds it again).
   */
  private static boolean current(
      Object[] month,
      Map<LocalDate, Object[]> days,
      Set<LocalDate> dirty,
      LocalDate from,
      LocalDate to) {
    Instant built = (Instant) month[3];
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      Object[] day = days.get(d);
      if (dirty.contains(d) || day == null || ((Instant) day[3]).isAfter(built)) {
        return false;
      }
    }
    return true;
  }

  /** The business days in the range with a change to one of the figure's facts marked. */
  static Set<LocalDate> dirtyDays(EntityManager em, Figure f, ReportRange range) {
    Set<LocalDate> out = new TreeSet<>();
    String facts = f.factList();
    for (ReportRange.Piece piece : range.pieces()) {
      Query q =
          em.createNativeQuery(
              "SELECT DISTINCT "
                  + ReportRange.day("D.FACT_TIME", piece.offsetSeconds())
                  + " FROM FO_REPORT_DIRTY D WHERE D.FACT IN ("
                  + facts
                  + ") AND D.FACT_TIME >= ?1 AND D.FACT_TIME < ?2");
      q.setParameter(1, piece.start());
      q.setParameter(2, piece.end());
      for (Object o : q.getResultList()) {
        out.add(LocalDate.parse(Grouping.key(o)));
      }
    }
    return out;
  }
}
