package org.fieldops.api.reports;

/**
 * One column of a report's rows.
 *
 * @param name the key in each row and the CSV header
 * @param label a human-readable heading
 */
public record ReportColumn(String name, String label, Type type) {

  /** How a column's values are written. */
  public enum Type {
    /** Text (ids, names, codes). */
    TEXT,
    /** A business day, {@code YYYY-MM-DD}. */
    DATE,
    /** An instant, ISO-8601 UTC. */
    INSTANT,
    /** A whole number. */
    COUNT,
    /** A decimal number (minutes, hours, quantities), as a JSON number. */
    NUMBER,
    /** A share between 0 and 1 (e.g. 0.75), as a JSON number; empty when undefined. */
    RATIO,
    /** Money: a decimal string with 2 places, beside a {@code currency} column. */
    MONEY,
    /** Yes/no. */
    FLAG
  }
}
