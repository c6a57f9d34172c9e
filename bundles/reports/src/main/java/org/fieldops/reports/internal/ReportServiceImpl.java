package org.fieldops.reports.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.persistence.EntityManager;
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.reports.Report;
import org.fieldops.api.reports.ReportColumn;
import org.fieldops.api.reports.ReportDefinition;
import org.fieldops.api.reports.ReportQuery;
import org.fieldops.api.reports.ReportService;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.store.Database;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Reports over the stored facts: each runs a handful of grouped queries (see {@link Figures}) in
 * one read (closed days and months from their roll-ups where current, see {@link Rollups}), then
 * the service derives rates and averages from the sums, names the groups and formats the values.
 * The business time zone is the jobs service's.
 */
@Component(service = ReportService.class, configurationPid = ReportsConfig.PID)
public class ReportServiceImpl implements ReportService {
  static final int DEFAULT_STALE_MINUTES = 30;
  private static final String SEP = "\u0000";

  private final Database db;
  private final JobService jobs;
  private final Clock clock;
  private final Rollups rollups;

  @Activate
  public ReportServiceImpl(
      @Reference Database db, @Reference JobService jobs, ReportsConfig config) {
    this(db, jobs, Clock.systemUTC(), config.rollupsEnabled());
  }

  /**
   * @param rollups read closed days from their roll-ups (else every figure from the facts)
   */
  ReportServiceImpl(Database db, JobService jobs, Clock clock, boolean rollups) {
    this.db = db;
    this.jobs = jobs;
    this.clock = clock;
    this.rollups = new Rollups(rollups);
  }

  @Override
  public List<ReportDefinition> definitions(Caller caller) {
    return Definitions.ALL.stream().filter(d -> allowed(d, caller)).toList();
  }

  private static boolean allowed(ReportDefinition d, Caller caller) {
    return caller.has(Role.FINANCE)
        || (d.audience() == ReportDefinition.Audience.OPERATIONS && caller.has(Role.DISPATCHER));
  }

  @Override
  public Report run(String name, ReportQuery query, Caller caller) {
    ReportDefinition def = Definitions.find(name);
    if (!caller.has(Role.FINANCE) && !caller.has(Role.DISPATCHER)) {
      throw new AccessDeniedException("reports are for the office (dispatcher, finance)");
    }
    if (def == null) {
      throw new NotFoundException("report", name);
    }
    if (!allowed(def, caller)) {
      throw new AccessDeniedException("report " + name + " is for finance");
    }
    ZoneId zone = jobs.zone();
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, zone);
    LocalDate from = query.from() != null ? query.from() : query.to() != null ? query.to() : today;
    LocalDate to = query.to() != null ? query.to() : from;
    String groupBy = query.groupBy() == null ? def.groupBy().get(0) : query.groupBy();
    int stale =
        query.staleAfterMinutes() == null ? DEFAULT_STALE_MINUTES : query.staleAfterMinutes();
    validate(def, from, to, groupBy, stale);
    ReportRange range = ReportRange.of(from, to, zone);
    Computed c =
        db.read(
            em -> {
              Map<String, Map<String, Object>> rows =
                  raw(em, name, new Grouping(em, range, groupBy, db.dialect()), now, stale);
              Map<String, Map<String, Object>> totals =
                  partitioned(name, groupBy)
                      ? sum(rows)
                      : raw(
                          em,
                          name,
                          new Grouping(em, range, Grouping.TOTAL, db.dialect()),
                          now,
                          stale);
              derive(name, rows, now);
              derive(name, totals, now);
              Map<String, String> labels = labels(em, name, groupBy, rows.keySet());
              return new Computed(rows, totals, labels);
            });
    List<Map<String, Object>> out = new ArrayList<>();
    boolean bySku = Definitions.PARTS.equals(name) && "sku".equals(groupBy);
    c.rows.forEach(
        (key, values) ->
            out.add(
                format(
                    def,
                    key,
                    bySku ? String.valueOf(values.get("name")) : c.labels.getOrDefault(key, ""),
                    values)));
    sort(name, groupBy, out);
    Map<String, Object> total = totals(def, c.totals);
    return new Report(
        name, def.title(), from, to, groupBy, zone.getId(), now, def.columns(), out, total);
  }

  private record Computed(
      Map<String, Map<String, Object>> rows,
      Map<String, Map<String, Object>> totals,
      Map<String, String> labels) {}

  private static void validate(
      ReportDefinition def, LocalDate from, LocalDate to, String groupBy, int stale) {
    List<org.fieldops.api.FieldError> errors = new ArrayList<>();
    if (to.isBefore(from)) {
      errors.add(new org.fieldops.api.FieldError("to", "must not be before from"));
    } else if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
      errors.add(
          new org.fieldops.api.FieldError("to", "a report covers at most " + MAX_DAYS + " days"));
    }
    if (!def.groupBy().contains(groupBy)) {
      errors.add(
          new org.fieldops.api.FieldError(
              "groupBy", "must be one of " + String.join(", ", def.groupBy())));
    }
    if (stale < 1 || stale > 60 * 24 * 365) {
      errors.add(
          new org.fieldops.api.FieldError(
              "staleAfterMinutes", "must be between 1 and 525600 minutes"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  /** Raw figures by row key, derived columns added. */
  /** The figures as the database sums them, by row key. */
  private Map<String, Map<String, Object>> raw(
      EntityManager em, String name, Grouping g, Instant now, int staleMinutes) {
    return switch (name) {
      case Definitions.DRAFTS -> Figures.drafts(g, now).snapshot();
      case Definitions.SYNC_HEALTH -> syncHealth(em, g, now, staleMinutes);
      default -> {
        Table t = rollups.table(name, g);
        if (t == null) {
          throw new IllegalStateException("no figures for " + name);
        }
        yield t.rows; // made for this call only
      }
    };
  }

  /**
   * True if every counted fact falls in exactly one row of this grouping, so the grand total is the
   * sum of the rows (no second pass over the data): not for jobs by technician (a job with two
   * technicians is in two rows), nor sync health (its totals hold figures of now).
   */
  static boolean partitioned(String name, String groupBy) {
    return !(Definitions.JOB_STATUS.equals(name) && "technician".equals(groupBy))
        && !Definitions.SYNC_HEALTH.equals(name);
  }

  /** The rows summed, per currency where there is one: numbers added, the earliest instant. */
  static Map<String, Map<String, Object>> sum(Map<String, Map<String, Object>> rows) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> r : rows.values()) {
      Object currency = r.get("currency");
      Map<String, Object> total =
          out.computeIfAbsent(
              currency == null ? "total" : "total" + SEP + currency, k -> new HashMap<>());
      r.forEach(
          (k, v) -> {
            Object a = total.get(k);
            total.put(
                k,
                a == null
                    ? v
                    : a instanceof BigDecimal x && v instanceof BigDecimal y
                        ? x.add(y)
                        : a instanceof Instant x && v instanceof Instant y && y.isBefore(x)
                            ? y
                            : a);
          });
    }
    return out;
  }

  /** Rates, averages and other columns made from the sums, added to each row. */
  private static void derive(String name, Map<String, Map<String, Object>> rows, Instant now) {
    switch (name) {
      case Definitions.JOB_STATUS -> {
        for (Map<String, Object> r : rows.values()) {
          BigDecimal all = BigDecimal.ZERO;
          for (JobStatus s : JobStatus.values()) {
            all = all.add(Table.get(r, s.name()));
            r.putIfAbsent(s.name(), BigDecimal.ZERO);
          }
          r.put("total", all);
        }
      }
      case Definitions.COMPLETIONS -> {
        for (Map<String, Object> r : rows.values()) {
          r.put(
              "firstTimeFixRate",
              ratio(Table.get(r, "firstTimeFixed"), Table.get(r, "withEquipment")));
        }
      }
      case Definitions.JOB_TIMES -> {
        for (Map<String, Object> r : rows.values()) {
          BigDecimal travel = minutes(Table.get(r, "travelSeconds"));
          BigDecimal onSite = minutes(Table.get(r, "onSiteSeconds"));
          r.put("travelMinutes", travel);
          r.put("onSiteMinutes", onSite);
          r.put("avgTravelMinutes", divide(travel, Table.get(r, "travelled"), 2));
          r.put("avgOnSiteMinutes", divide(onSite, Table.get(r, "jobs"), 2));
          BigDecimal arrivals = Table.get(r, "arrivals");
          BigDecimal onTime =
              arrivals.subtract(Table.get(r, "early")).subtract(Table.get(r, "late"));
          r.put("onTime", onTime);
          r.put("adherenceRate", ratio(onTime, arrivals));
        }
      }
      case Definitions.LABOR -> {
        for (Map<String, Object> r : rows.values()) {
          r.put("billedRatio", ratio(Table.get(r, "billedHours"), Table.get(r, "loggedHours")));
        }
      }
      case Definitions.DRAFTS -> {
        for (Map<String, Object> r : rows.values()) {
          Instant oldest = (Instant) r.get("oldestCreatedAt");
          r.put(
              "oldestAgeDays",
              oldest == null
                  ? null
                  : days(BigDecimal.valueOf(Duration.between(oldest, now).toSeconds())));
          r.put("avgAgeDays", divide(days(Table.get(r, "ageSeconds")), Table.get(r, "drafts"), 2));
        }
      }
      case Definitions.REJECTIONS -> {
        BigDecimal all =
            rows.values().stream()
                .map(r -> Table.get(r, "rejected"))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        for (Map<String, Object> r : rows.values()) {
          r.put("share", ratio(Table.get(r, "rejected"), all));
        }
      }
      default -> {
        // parts, revenue, sync health: nothing to derive here
      }
    }
  }

  /**
   * Uploads by technician (every technician with a login gets a row, so silent ones show as stale)
   * or by day; open reviews, last sync and staleness are as of now.
   */
  private Map<String, Map<String, Object>> syncHealth(
      EntityManager em, Grouping g, Instant now, int staleMinutes) {
    Map<String, Map<String, Object>> byUser = rollups.table(Rollups.UPLOADS, g).rows;
    boolean perTechnician = "technician".equals(g.groupBy());
    boolean total = Grouping.TOTAL.equals(g.groupBy());
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    Map<String, String> technicianOfUser = new HashMap<>();
    if (perTechnician || total) {
      for (Object o :
          em.createNativeQuery(
                  "SELECT T.USERNAME, T.ID FROM FO_TECHNICIAN T WHERE T.USERNAME IS NOT NULL")
              .getResultList()) {
        Object[] r = (Object[]) o;
        technicianOfUser.put(r[0].toString(), r[1].toString());
      }
    }
    Instant staleBefore = now.minus(Duration.ofMinutes(staleMinutes));
    if (perTechnician) {
      for (Map.Entry<String, String> e : technicianOfUser.entrySet()) {
        rows.put(e.getValue(), new HashMap<>(byUser.getOrDefault(e.getKey(), Map.of())));
      }
      byUser.forEach(
          (user, r) -> {
            if (!technicianOfUser.containsKey(user)) {
              rows.put("user:" + user, new HashMap<>(r)); // an account no longer a technician
            }
          });
    } else {
      rows.putAll(byUser);
    }
    if (perTechnician || total) {
      Map<String, Object[]> reviews = new HashMap<>();
      for (Object o :
          em.createNativeQuery(
                  "SELECT R.USERNAME, COUNT(*), MIN(R.CREATED_AT) FROM FO_REVIEW R"
                      + " WHERE R.STATUS = 'OPEN' GROUP BY R.USERNAME")
              .getResultList()) {
        Object[] r = (Object[]) o;
        reviews.put(r[0].toString(), r);
      }
      Map<String, Instant> lastSync = new HashMap<>();
      for (Object o :
          em.createNativeQuery(
                  "SELECT D.USERNAME, MAX(D.LAST_UPLOAD) FROM FO_DEVICE D GROUP BY D.USERNAME")
              .getResultList()) {
        Object[] r = (Object[]) o;
        if (r[1] != null) {
          lastSync.put(r[0].toString(), Grouping.instant(r[1]));
        }
      }
      if (perTechnician) {
        Map<String, String> userOfTechnician = new HashMap<>();
        technicianOfUser.forEach((u, t) -> userOfTechnician.put(t, u));
        rows.forEach(
            (key, r) -> {
              String user = key.startsWith("user:") ? key.substring(5) : userOfTechnician.get(key);
              putNow(r, reviews.get(user), lastSync.get(user), now, staleBefore);
            });
      } else {
        Map<String, Object> r = rows.computeIfAbsent("total", k -> new HashMap<>());
        long open = 0;
        Instant oldest = null;
        for (Object[] rv : reviews.values()) {
          open += ((Number) rv[1]).longValue();
          Instant at = Grouping.instant(rv[2]);
          oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
        }
        putNow(r, open == 0 ? null : new Object[] {null, open, oldest}, null, now, staleBefore);
        r.put("lastSyncAt", lastSync.values().stream().max(Comparator.naturalOrder()).orElse(null));
        r.put("stale", null); // per technician only
      }
    }
    for (Map<String, Object> r : rows.values()) {
      BigDecimal judged =
          Table.get(r, "applied").add(Table.get(r, "inReview")).add(Table.get(r, "rejected"));
      r.put("rejectionRate", ratio(Table.get(r, "rejected"), judged));
    }
    return rows;
  }

  private static void putNow(
      Map<String, Object> r, Object[] review, Instant lastSync, Instant now, Instant staleBefore) {
    r.put("openReviews", review == null ? BigDecimal.ZERO : Table.number(review[1]));
    Instant oldest = review == null ? null : Grouping.instant(review[2]);
    r.put(
        "oldestOpenReviewHours",
        oldest == null
            ? null
            : BigDecimal.valueOf(Duration.between(oldest, now).toSeconds())
                .divide(BigDecimal.valueOf(3600), 1, RoundingMode.HALF_UP));
    r.put("lastSyncAt", lastSync);
    r.put("stale", lastSync == null || lastSync.isBefore(staleBefore));
  }

  /** Display names of the row keys: technicians, customers, jobs, invoices by their ids. */
  private static Map<String, String> labels(
      EntityManager em, String report, String groupBy, Set<String> keys) {
    Map<String, String> labels = new HashMap<>();
    List<String> ids =
        new ArrayList<>(new TreeSet<>(keys.stream().map(k -> k.split(SEP, -1)[0]).toList()));
    String table =
        switch (groupBy) {
          case "technician" -> "FO_TECHNICIAN";
          case "customer" -> "FO_CUSTOMER";
          case "job" -> "FO_JOB";
          case "invoice" -> "FO_INVOICE";
          default -> null;
        };
    // rejected events and uploads are kept by login: those rows are keyed by username
    String column = Definitions.REJECTIONS.equals(report) ? "USERNAME" : "ID";
    if (table != null) {
      String name =
          switch (table) {
            case "FO_JOB" -> "TITLE";
            case "FO_INVOICE" -> "COALESCE(INVOICE_NO, 'draft ' || JOB_ID)";
            default -> "NAME";
          };
      for (int i = 0; i < ids.size(); i += 200) {
        List<String> chunk = Grouping.chunk(ids, i, 200);
        StringBuilder in = new StringBuilder();
        for (int j = 0; j < chunk.size(); j++) {
          in.append(j == 0 ? "?" : ",?").append(j + 1);
        }
        var q =
            em.createNativeQuery(
                "SELECT " + column + ", " + name + " FROM " + table + " WHERE " + column + " IN ("
                    + in + ")");
        for (int j = 0; j < chunk.size(); j++) {
          q.setParameter(j + 1, chunk.get(j));
        }
        for (Object o : q.getResultList()) {
          Object[] r = (Object[]) o;
          labels.put(r[0].toString(), r[1] == null ? "" : r[1].toString());
        }
      }
    }
    Map<String, String> byKey = new HashMap<>();
    for (String key : keys) {
      String id = key.split(SEP, -1)[0];
      String label;
      if (id.isEmpty()) {
        label = "technician".equals(groupBy) ? "(no technician)" : "(none)";
      } else if (id.startsWith("user:")) {
        label = id.substring(5) + " (not a technician)";
      } else {
        label = labels.getOrDefault(id, id);
      }
      byKey.put(key, label);
    }
    return byKey;
  }

  /** A row as the API shows it: every column, numbers typed, money as text with 2 places. */
  private static Map<String, Object> format(
      ReportDefinition def, String key, String label, Map<String, Object> values) {
    Map<String, Object> row = new LinkedHashMap<>();
    String group = key.split(SEP, -1)[0];
    if (group.startsWith("user:")) {
      group = group.substring(5);
    }
    for (ReportColumn c : def.columns()) {
      Object v =
          switch (c.name()) {
            case "group" -> group;
            case "label" -> label;
            default -> values.get(c.name());
          };
      row.put(c.name(), typed(c, v));
    }
    return row;
  }

  private static Object typed(ReportColumn c, Object v) {
    return switch (c.type()) {
      case COUNT -> v == null ? 0L : Table.number(v).longValue();
      case NUMBER -> v == null ? null : Table.number(v).setScale(2, RoundingMode.HALF_UP);
      case RATIO -> v == null ? null : Table.number(v).setScale(4, RoundingMode.HALF_UP);
      case MONEY ->
          Table.number(v == null ? BigDecimal.ZERO : v)
              .setScale(2, RoundingMode.HALF_EVEN)
              .toPlainString();
      case INSTANT, FLAG -> v;
      case TEXT, DATE -> v == null ? "" : v.toString();
    };
  }

  /**
   * The grand total row: the total query's rows (one per currency, or per SKU and currency) summed;
   * {@code null} when they are in several currencies.
   */
  private static Map<String, Object> totals(
      ReportDefinition def, Map<String, Map<String, Object>> totals) {
    long currencies =
        totals.values().stream()
            .map(r -> r.get("currency"))
            .filter(c -> c != null)
            .distinct()
            .count();
    boolean money = def.columns().stream().anyMatch(c -> c.type() == ReportColumn.Type.MONEY);
    if (currencies > 1 || (money && currencies == 0)) {
      return null; // no sum across currencies, nor a money total of nothing
    }
    // one currency at most here: the rows summed into one
    Map<String, Object> merged = sum(totals).values().stream().findFirst().orElse(Map.of());
    Map<String, Object> row = format(def, "total", "Total", merged);
    if (def.name().equals(Definitions.PARTS)) {
      row.put("sku", "");
      row.put("name", "");
    }
    return row;
  }

  private static void sort(String report, String groupBy, List<Map<String, Object>> rows) {
    Comparator<Map<String, Object>> byLabel =
        Comparator.comparing((Map<String, Object> r) -> r.get("label").toString())
            .thenComparing(r -> r.get("group").toString());
    if (Definitions.REJECTIONS.equals(report)) {
      rows.sort(
          Comparator.comparing((Map<String, Object> r) -> -((Long) r.get("rejected")))
              .thenComparing(byLabel));
    } else if ("day".equals(groupBy)) {
      rows.sort(Comparator.comparing((Map<String, Object> r) -> r.get("group").toString()));
    } else if (Definitions.PARTS.equals(report)) {
      rows.sort(byLabel.thenComparing(r -> r.get("sku").toString()));
    } else {
      rows.sort(byLabel);
    }
  }

  static BigDecimal ratio(BigDecimal part, BigDecimal whole) {
    return whole.signum() == 0 ? null : part.divide(whole, 4, RoundingMode.HALF_UP);
  }

  private static BigDecimal divide(BigDecimal a, BigDecimal b, int scale) {
    return b.signum() == 0 ? null : a.divide(b, scale, RoundingMode.HALF_UP);
  }

  private static BigDecimal minutes(BigDecimal seconds) {
    return seconds.divide(BigDecimal.valueOf(60), 2, RoundingMode.HALF_UP);
  }

  private static BigDecimal days(BigDecimal seconds) {
    return seconds.divide(BigDecimal.valueOf(86_400), 2, RoundingMode.HALF_UP);
  }
}
