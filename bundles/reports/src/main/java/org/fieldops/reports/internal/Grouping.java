package org.fieldops.reports.internal;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.persistence.EntityManager;
import javax.persistence.Query;

/**
 * Runs one grouped aggregate query of a report. The SQL has {@code {key}} where the grouping
 * expression goes (in the select list and in {@code GROUP BY}, as {@code {group}}), and {@code ?1}
 * / {@code ?2} for the start and end of the range. Grouping by day runs it once per piece of the
 * range with that piece's UTC offset; the grand total runs it without grouping.
 */
final class Grouping {
  static final String DAY = "day";
  static final String TOTAL = "total";

  private final EntityManager em;
  private final ReportRange range;
  private final String groupBy;
  private final String dialect;

  Grouping(EntityManager em, ReportRange range, String groupBy, String dialect) {
    this.em = em;
    this.range = range;
    this.groupBy = groupBy;
    this.dialect = dialect;
  }

  /**
   * Whole seconds from {@code from} to {@code to} (timestamps) as a BIGINT. The JDBC escape {@code
   * TIMESTAMPDIFF} is right on Derby, but PostgreSQL's driver turns it into the seconds field of
   * the interval (0 to 59), so PostgreSQL gets its own expression.
   */
  String seconds(String from, String to) {
    return "postgresql".equals(dialect)
        ? "CAST(EXTRACT(EPOCH FROM (" + to + " - " + from + ")) AS BIGINT)"
        : "CAST({fn TIMESTAMPDIFF(SQL_TSI_SECOND, " + from + ", " + to + ")} AS BIGINT)";
  }

  String groupBy() {
    return groupBy;
  }

  EntityManager em() {
    return em;
  }

  ReportRange range() {
    return range;
  }

  /** The same grouping over another range (a part of this one). */
  Grouping over(ReportRange other) {
    return new Grouping(em, other, groupBy, dialect);
  }

  /** This range with another grouping. */
  Grouping by(String otherGroupBy) {
    return new Grouping(em, range, otherGroupBy, dialect);
  }

  /**
   * Runs {@code sql}; {@code keys} maps each non-day grouping to its column, {@code dayColumn} is
   * the timestamp a day grouping reads. Each result row reaches {@code sink} with its key (a date
   * as {@code YYYY-MM-DD}, {@code ""} for a null key) first.
   */
  void run(
      String sql,
      Map<String, String> keys,
      String dayColumn,
      String alsoGroupBy,
      List<Object> extra,
      Consumer<Object[]> sink) {
    List<ReportRange.Piece> pieces = DAY.equals(groupBy) ? range.pieces() : List.of(range.whole());
    for (ReportRange.Piece piece : pieces) {
      String key;
      String group;
      if (TOTAL.equals(groupBy)) {
        key = "'total'";
        group = alsoGroupBy.isEmpty() ? "" : "GROUP BY " + alsoGroupBy;
      } else {
        key =
            DAY.equals(groupBy)
                ? ReportRange.day(dayColumn, piece.offsetSeconds())
                : keys.get(groupBy);
        if (key == null) {
          throw new IllegalStateException("no key for " + groupBy);
        }
        group = "GROUP BY " + key + (alsoGroupBy.isEmpty() ? "" : ", " + alsoGroupBy);
      }
      Query q = em.createNativeQuery(sql.replace("{key}", key).replace("{group}", group));
      q.setParameter(1, piece.start());
      q.setParameter(2, piece.end());
      for (int i = 0; i < extra.size(); i++) {
        q.setParameter(3 + i, extra.get(i));
      }
      for (Object r : q.getResultList()) {
        Object[] row = r instanceof Object[] a ? a.clone() : new Object[] {r};
        row[0] = key(row[0]);
        sink.accept(row);
      }
    }
  }

  void run(String sql, Map<String, String> keys, String dayColumn, Consumer<Object[]> sink) {
    run(sql, keys, dayColumn, "", List.of(), sink);
  }

  void run(
      String sql,
      Map<String, String> keys,
      String dayColumn,
      String alsoGroupBy,
      Consumer<Object[]> sink) {
    run(sql, keys, dayColumn, alsoGroupBy, List.of(), sink);
  }

  static String key(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (value instanceof Timestamp t) {
      return t.toLocalDateTime().toLocalDate().toString();
    }
    if (value instanceof LocalDate d) {
      return d.toString();
    }
    return value.toString().strip();
  }

  static java.time.Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof java.time.Instant i) {
      return i;
    }
    if (value instanceof java.time.LocalDateTime l) {
      return l.toInstant(java.time.ZoneOffset.UTC);
    }
    return Timestamp.valueOf(value.toString()).toInstant();
  }

  static List<String> chunk(List<String> all, int from, int size) {
    return new ArrayList<>(all.subList(from, Math.min(all.size(), from + size)));
  }
}
