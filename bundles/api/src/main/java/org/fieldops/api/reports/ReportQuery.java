package org.fieldops.api.reports;

import java.time.LocalDate;

/**
 * The range and grouping of one report run.
 *
 * @param from first business day, inclusive
 * @param to last business day, inclusive (at most {@link ReportService#MAX_DAYS} days after from)
 * @param groupBy one of the report's {@link ReportDefinition#groupBy()} values; {@code null} for
 *     its default
 * @param staleAfterMinutes for {@code sync-health}: a technician whose last upload is older is
 *     stale; {@code null} for the default (60)
 */
public record ReportQuery(
    LocalDate from, LocalDate to, String groupBy, Integer staleAfterMinutes) {}
