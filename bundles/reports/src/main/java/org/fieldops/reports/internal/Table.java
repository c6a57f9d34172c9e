package org.fieldops.reports.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The grouped figures of one report while they are gathered from several queries (and from the
 * pieces of a range): one row per key, values summed, or kept as the least or greatest.
 */
final class Table {
  final Map<String, Map<String, Object>> rows = new LinkedHashMap<>();

  Map<String, Object> row(String key) {
    return rows.computeIfAbsent(key, k -> new HashMap<>());
  }

  /** Adds a number (null adds nothing but makes the row exist). */
  void add(String key, String column, Object value) {
    Map<String, Object> row = row(key);
    BigDecimal n = number(value);
    if (n != null) {
      row.merge(column, n, (a, b) -> ((BigDecimal) a).add((BigDecimal) b));
    }
  }

  void set(String key, String column, Object value) {
    row(key).put(column, value);
  }

  void min(String key, String column, Instant value) {
    if (value != null) {
      row(key).merge(column, value, (a, b) -> ((Instant) a).isBefore((Instant) b) ? a : b);
    }
  }

  /**
   * Adds the rows of another table of the same figure (another day or range): numbers summed, the
   * earliest instant kept, text kept as the greatest (as the queries' {@code MAX}).
   */
  void merge(Map<String, Map<String, Object>> other) {
    other.forEach(
        (key, values) -> {
          Map<String, Object> row = row(key);
          values.forEach((column, v) -> combineInto(row, column, v));
        });
  }

  /** Adds one value to a row's column as {@link #merge} does. */
  static void combineInto(Map<String, Object> row, String column, Object v) {
    if (v == null) {
      row.putIfAbsent(column, null);
    } else {
      row.merge(column, v, Table::combine);
    }
  }

  private static Object combine(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.add(y);
    }
    if (a instanceof Instant x && b instanceof Instant y) {
      return y.isBefore(x) ? y : x;
    }
    if (a instanceof String x && b instanceof String y) {
      return y.compareTo(x) > 0 ? y : x;
    }
    return b;
  }

  static BigDecimal number(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof Number n) {
      return n instanceof Double || n instanceof Float
          ? BigDecimal.valueOf(n.doubleValue())
          : BigDecimal.valueOf(n.longValue());
    }
    return new BigDecimal(value.toString());
  }

  static BigDecimal get(Map<String, Object> row, String column) {
    Object v = row.get(column);
    return v instanceof BigDecimal d ? d : BigDecimal.ZERO;
  }

  /** Copy of the rows keyed as they are. */
  Map<String, Map<String, Object>> snapshot() {
    Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
    rows.forEach((k, v) -> copy.put(k, new HashMap<>(v)));
    return copy;
  }
}
