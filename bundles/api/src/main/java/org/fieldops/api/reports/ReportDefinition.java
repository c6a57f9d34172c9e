package org.fieldops.api.reports;

import java.util.List;

/**
 * What a report is: its name in {@code /reports/{name}}, who may run it, how it may be grouped and
 * the columns of its rows (the first two are always {@code group} and {@code label}).
 *
 * @param groupBy the accepted {@code groupBy} values, the default first
 */
public record ReportDefinition(
    String name,
    String title,
    String description,
    Audience audience,
    List<String> groupBy,
    List<ReportColumn> columns) {
  public ReportDefinition {
    groupBy = List.copyOf(groupBy);
    columns = List.copyOf(columns);
  }

  /** Who may run a report. */
  public enum Audience {
    /** Dispatchers, finance and admins. */
    OPERATIONS,
    /** Finance and admins. */
    FINANCE
  }
}
