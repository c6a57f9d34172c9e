package org.fieldops.api.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One report run: a table. Each row maps every column name to its value ({@code null} when
 * undefined, e.g. a rate with nothing to divide); money is a decimal string. {@code totals} has the
 * same keys, summed or recomputed over all rows ({@code group} = {@code "total"}), or is {@code
 * null} when a total makes no sense (e.g. money in several currencies).
 *
 * @param zone the business time zone the days are read in
 */
public record Report(
    String name,
    String title,
    LocalDate from,
    LocalDate to,
    String groupBy,
    String zone,
    Instant generatedAt,
    List<ReportColumn> columns,
    List<Map<String, Object>> rows,
    Map<String, Object> totals) {
  public Report {
    columns = List.copyOf(columns);
    rows = rows.stream().map(r -> Collections.unmodifiableMap(new LinkedHashMap<>(r))).toList();
    totals = totals == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(totals));
  }
}
