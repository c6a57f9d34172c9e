package org.fieldops.api.jobs;

import java.time.LocalDate;

/**
 * Filters of a job list; {@code null} means any.
 *
 * @param date jobs whose window or slot touches this day in the business time zone
 */
public record JobQuery(JobStatus status, String technicianId, LocalDate date, String siteId) {
  public static JobQuery all() {
    return new JobQuery(null, null, null, null);
  }
}
