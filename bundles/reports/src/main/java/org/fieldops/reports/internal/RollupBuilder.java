package org.fieldops.reports.internal;

import java.time.Clock;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.persistence.EntityManager;
import org.fieldops.api.jobs.JobService;
import org.fieldops.reports.internal.Rollups.Figure;
import org.fieldops.store.Database;
import org.fieldops.store.Leases;
import org.fieldops.store.ReportRollupEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the report roll-ups (see {@link Rollups}): every {@code rollupPeriodSeconds} it rolls up
 * each closed business day of the last {@code rollupKeepDays} that has none or whose facts were
 * marked as changed since (newest first, one transaction per figure and day), then each closed
 * month whose days are all current. After an upgrade or a restore the first passes roll up the
 * history in the background; reports read the facts meanwhile. With several nodes one rolls up at a
 * time (a lease); should two still write the same day, one insert fails and is dropped.
 */
@Component(immediate = true, configurationPid = ReportsConfig.PID)
@Designate(ocd = ReportsConfig.class)
public class RollupBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(RollupBuilder.class);
  private static final int MARKS_PER_DELETE = 500;
  private static final String LEASE = "report-rollups";
  private static final int LEASE_SECONDS = 300;

  private final Database db;
  private final JobService jobs;
  private final Clock clock;
  private final int keepDays;
  private ScheduledExecutorService executor;
  private final Leases leases;
  private volatile boolean stopped;
  private boolean behind;

  @Activate
  public RollupBuilder(@Reference Database db, @Reference JobService jobs, ReportsConfig config) {
    this(db, jobs, Clock.systemUTC(), config.rollupKeepDays());
    if (config.rollupsEnabled()) {
      ScheduledExecutorService e =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "fieldops-report-rollups");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
              });
      long period = Math.max(5, config.rollupPeriodSeconds());
      e.scheduleWithFixedDelay(this::run, 5, period, TimeUnit.SECONDS);
      executor = e;
    }
  }

  RollupBuilder(Database db, JobService jobs, Clock clock, int keepDays) {
    this.db = db;
    this.jobs = jobs;
    this.clock = clock;
    this.keepDays = Math.max(31, keepDays);
    this.leases =
        new Leases(
            db,
            clock,
            "node-" + java.util.UUID.randomUUID(),
            java.time.Duration.ofSeconds(LEASE_SECONDS));
  }

  @Deactivate
  void deactivate() {
    stopped = true;
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private void run() {
    try {
      long started = System.nanoTime();
      int[] built = pass();
      long ms = (System.nanoTime() - started) / 1_000_000;
      if (built[0] + built[1] > 0) {
        behind = true;
        LOG.info(
            "Report roll-ups: {} day(s) and {} month(s) built in {} ms", built[0], built[1], ms);
      } else if (behind) {
        behind = false;
        LOG.info("Report roll-ups are current (checked in {} ms)", ms);
      }
    } catch (RuntimeException e) {
      if (!stopped) {
        LOG.warn("Report roll-up pass failed; reports read the facts meanwhile", e);
      }
    }
  }

  /**
   * One pass over every figure; returns the days and months built. Figures that read the same facts
   * (completions, job times and labor) are rolled up together, day by day, since a day's marks are
   * removed once all of them are rebuilt.
   */
  int[] pass() {
    ZoneId zone = jobs.zone();
    Instant now = clock.instant();
    LocalDate lastClosed = LocalDate.ofInstant(now, zone).minusDays(1);
    LocalDate oldest = lastClosed.minusDays(keepDays).withDayOfMonth(1);
    if (!lease()) {
      return new int[] {0, 0}; // another node rolls up
    }
    cleanUp(zone, oldest);
    int days = 0;
    int months = 0;
    int checked = 0;
    Map<List<String>, List<Figure>> groups = new LinkedHashMap<>();
    for (Figure f : Rollups.FIGURES.values()) {
      groups.computeIfAbsent(f.facts(), k -> new ArrayList<>()).add(f);
    }
    for (List<Figure> group : groups.values()) {
      LocalDate start = null;
      for (Figure f : group) {
        LocalDate s = first(f, zone);
        start = start == null || (s != null && s.isBefore(start)) ? s : start;
      }
      if (start == null) {
        continue;
      }
      LocalDate from = start.withDayOfMonth(1).isBefore(oldest) ? oldest : start.withDayOfMonth(1);
      if (from.isAfter(lastClosed)) {
        continue;
      }
      List<Map<LocalDate, Instant>> rolled = new ArrayList<>();
      for (Figure f : group) {
        rolled.add(rolled(f, zone, Rollups.DAY, from, lastClosed));
      }
      Set<LocalDate> dirty =
          db.read(
              em -> Rollups.dirtyDays(em, group.get(0), ReportRange.of(from, lastClosed, zone)));
      for (LocalDate d = lastClosed; !d.isBefore(from); d = d.minusDays(1)) {
        if (stopped || (++checked % 50 == 0 && !lease())) {
          return new int[] {days, months};
        }
        LocalDate day = d;
        boolean missing = rolled.stream().anyMatch(r -> !r.containsKey(day));
        if ((missing || dirty.contains(d)) && rollDay(group, d, zone)) {
          days += group.size();
        }
      }
      for (Figure f : group) {
        months += rollMonths(f, zone, from, lastClosed);
      }
    }
    return new int[] {days, months};
  }

  /**
   * One node at a time rolls up (the lease row {@code report-rollups} in FO_LEASE, held for {@value
   * #LEASE_SECONDS} s and renewed while it works), so that nodes do not repeat each other's work
   * after an upgrade. Another node takes over when the holder stops renewing.
   */
  boolean lease() {
    return leases.hold(LEASE);
  }

  /** Roll-ups of another zone (the business zone was changed) or too old; marks too old. */
  private void cleanUp(ZoneId zone, LocalDate oldest) {
    db.inTransaction(
        em -> {
          em.createQuery(
                  "DELETE FROM ReportRollupEntity r WHERE r.zoneId <> :z OR r.periodStart < :o")
              .setParameter("z", zone.getId())
              .setParameter("o", oldest)
              .executeUpdate();
          for (String fact : List.of("JOB", "COMPLETION", "LINE", "INVOICE", "UPLOAD", "EVENT")) {
            em.createNativeQuery("DELETE FROM FO_REPORT_DIRTY WHERE FACT = ?1 AND FACT_TIME < ?2")
                .setParameter(1, fact)
                .setParameter(
                    2, java.sql.Timestamp.from(oldest.minusDays(1).atStartOfDay(zone).toInstant()))
                .executeUpdate();
          }
          return null;
        });
  }

  /**
   * The business day of the figure's earliest fact (asked each pass: facts filled in after an
   * upgrade may be older than any seen before).
   */
  private LocalDate first(Figure f, ZoneId zone) {
    return db.read(
        em -> {
          LocalDate min = null;
          for (String sql : f.firstSql()) {
            Instant at = Grouping.instant(em.createNativeQuery(sql).getSingleResult());
            LocalDate day = at == null ? null : LocalDate.ofInstant(at, zone);
            min = min == null || (day != null && day.isBefore(min)) ? day : min;
          }
          return min;
        });
  }

  /** The periods of a figure (its total grouping) rolled up, with when they were built. */
  private Map<LocalDate, Instant> rolled(
      Figure f, ZoneId zone, String kind, LocalDate from, LocalDate to) {
    return db.read(
        em -> {
          Map<LocalDate, Instant> out = new HashMap<>();
          for (Object[] r :
              em.createQuery(
                      "SELECT r.periodStart, r.builtAt FROM ReportRollupEntity r"
                          + " WHERE r.figure = :f AND r.groupBy = :g AND r.zoneId = :z"
                          + " AND r.periodKind = :k AND r.periodStart >= :a"
                          + " AND r.periodStart <= :b",
                      Object[].class)
                  .setParameter("f", f.name())
                  .setParameter("g", Grouping.TOTAL)
                  .setParameter("z", zone.getId())
                  .setParameter("k", kind)
                  .setParameter("a", from)
                  .setParameter("b", to)
                  .getResultList()) {
            out.put((LocalDate) r[0], (Instant) r[1]);
          }
          return out;
        });
  }

  /**
   * Rolls up one day of a figure in one transaction: the marks seen first, then the figures from
   * the facts, then the marks seen are removed (a change committed meanwhile keeps its mark, so the
   * day is rolled up again).
   */
  boolean rollDay(List<Figure> figures, LocalDate d, ZoneId zone) {
    try {
      db.inTransaction(
          em -> {
            ReportRange day = ReportRange.of(d, d, zone);
            List<Object> marks = marks(em, figures.get(0), day);
            Instant now = clock.instant();
            for (Figure f : figures) {
              delete(em, f, zone, Rollups.DAY, d);
              delete(em, f, zone, Rollups.MONTH, d.withDayOfMonth(1));
              for (String g : f.groupings()) {
                Table t = f.compute().apply(new Grouping(em, day, g, db.dialect()));
                put(em, f, g, zone, Rollups.DAY, d, RollupCodec.encode(t.rows), now);
              }
            }
            for (int i = 0; i < marks.size(); i += MARKS_PER_DELETE) {
              List<Object> chunk = marks.subList(i, Math.min(marks.size(), i + MARKS_PER_DELETE));
              StringBuilder in = new StringBuilder();
              for (int j = 0; j < chunk.size(); j++) {
                in.append(j == 0 ? "?" : ",?").append(j + 1);
              }
              var q = em.createNativeQuery("DELETE FROM FO_REPORT_DIRTY WHERE ID IN (" + in + ")");
              for (int j = 0; j < chunk.size(); j++) {
                q.setParameter(j + 1, ((Number) chunk.get(j)).longValue());
              }
              q.executeUpdate();
            }
            return null;
          });
      return true;
    } catch (RuntimeException e) {
      if (!stopped) {
        // another node may have written it meanwhile; if not, the next pass tries again
        LOG.warn("Roll-up of {} on {} not written: {}", names(figures), d, e.toString());
        LOG.debug("Roll-up failure", e);
      }
      return false;
    }
  }

  private static List<String> names(List<Figure> figures) {
    return figures.stream().map(Figure::name).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> marks(EntityManager em, Figure f, ReportRange day) {
    String facts = f.factList();
    return new ArrayList<>(
        em.createNativeQuery(
                "SELECT D.ID FROM FO_REPORT_DIRTY D WHERE D.FACT IN ("
                    + facts
                    + ") AND D.FACT_TIME >= ?1 AND D.FACT_TIME < ?2")
            .setParameter(1, day.whole().start())
            .setParameter(2, day.whole().end())
            .getResultList());
  }

  /**
   * Builds each closed month whose days are all rolled up and unmarked and whose roll-up is missing
   * or older than one of its days; returns how many were built.
   */
  private int rollMonths(Figure f, ZoneId zone, LocalDate from, LocalDate lastClosed) {
    Map<LocalDate, Instant> days = rolled(f, zone, Rollups.DAY, from, lastClosed);
    Map<LocalDate, Instant> months = rolled(f, zone, Rollups.MONTH, from, lastClosed);
    Set<LocalDate> dirty =
        db.read(em -> Rollups.dirtyDays(em, f, ReportRange.of(from, lastClosed, zone)));
    int built = 0;
    for (YearMonth m = YearMonth.from(from);
        !m.atEndOfMonth().isAfter(lastClosed) && !stopped;
        m = m.plusMonths(1)) {
      Instant monthBuilt = months.get(m.atDay(1));
      boolean complete = true;
      boolean current = monthBuilt != null;
      for (LocalDate d = m.atDay(1); !d.isAfter(m.atEndOfMonth()); d = d.plusDays(1)) {
        Instant dayBuilt = days.get(d);
        if (dayBuilt == null || dirty.contains(d)) {
          complete = false;
          break;
        }
        if (current && dayBuilt.isAfter(monthBuilt)) {
          current = false;
        }
      }
      if (complete && !current && rollMonth(f, zone, m)) {
        built++;
      }
    }
    return built;
  }

  private boolean rollMonth(Figure f, ZoneId zone, YearMonth m) {
    try {
      return db.inTransaction(
          em -> {
            Instant now = clock.instant();
            delete(em, f, zone, Rollups.MONTH, m.atDay(1));
            for (String g : f.groupings()) {
              List<ReportRollupEntity> days =
                  em.createQuery(
                          "SELECT r FROM ReportRollupEntity r WHERE r.figure = :f"
                              + " AND r.groupBy = :g AND r.zoneId = :z AND r.periodKind = :k"
                              + " AND r.periodStart >= :a AND r.periodStart <= :b",
                          ReportRollupEntity.class)
                      .setParameter("f", f.name())
                      .setParameter("g", g)
                      .setParameter("z", zone.getId())
                      .setParameter("k", Rollups.DAY)
                      .setParameter("a", m.atDay(1))
                      .setParameter("b", m.atEndOfMonth())
                      .getResultList();
              if (days.size() != m.lengthOfMonth()) {
                throw new IllegalStateException("a day of " + m + " is not rolled up");
              }
              Table t = new Table();
              for (ReportRollupEntity day : days) {
                RollupCodec.mergeInto(day.data, t);
              }
              put(em, f, g, zone, Rollups.MONTH, m.atDay(1), RollupCodec.encode(t.rows), now);
            }
            return true;
          });
    } catch (RuntimeException e) {
      if (!stopped) {
        LOG.warn("Roll-up of {} for {} not written: {}", f.name(), m, e.toString());
        LOG.debug("Roll-up failure", e);
      }
      return false;
    }
  }

  private static void delete(
      EntityManager em, Figure f, ZoneId zone, String kind, LocalDate start) {
    em.createQuery(
            "DELETE FROM ReportRollupEntity r WHERE r.figure = :f AND r.zoneId = :z"
                + " AND r.periodKind = :k AND r.periodStart = :s")
        .setParameter("f", f.name())
        .setParameter("z", zone.getId())
        .setParameter("k", kind)
        .setParameter("s", start)
        .executeUpdate();
  }

  private static void put(
      EntityManager em,
      Figure f,
      String groupBy,
      ZoneId zone,
      String kind,
      LocalDate start,
      byte[] data,
      Instant now) {
    ReportRollupEntity r = new ReportRollupEntity();
    r.id = Rollups.id(f.name(), groupBy, zone, kind, start);
    r.figure = f.name();
    r.groupBy = groupBy;
    r.zoneId = zone.getId();
    r.periodKind = kind;
    r.periodStart = start;
    r.builtAt = now;
    r.data = data;
    em.persist(r);
  }
}
