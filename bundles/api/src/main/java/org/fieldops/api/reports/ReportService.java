package org.fieldops.api.reports;

import java.util.List;
import org.fieldops.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Computes reports for a date range of business days. Read-only and thread-safe. Each report is
 * aggregated by the database over indexed facts; its cost grows with the rows in the range, not
 * with the whole database.
 */
@ProviderType
public interface ReportService {

  /** Longest range one report may cover, in days. */
  int MAX_DAYS = 366;

  /** The reports the caller may run (dispatchers: operations; finance and admins: all). */
  List<ReportDefinition> definitions(Caller caller);

  /**
   * Runs report {@code name} over {@code query}.
   *
   * @throws org.fieldops.api.AccessDeniedException if the caller's roles may not see this report
   *     (checked before anything else)
   * @throws org.fieldops.api.NotFoundException if there is no report of that name
   * @throws org.fieldops.api.ValidationException naming {@code from}, {@code to}, {@code groupBy}
   *     or {@code staleAfterMinutes} when the query is invalid for this report
   */
  Report run(String name, ReportQuery query, Caller caller);
}
