package org.fieldops.api.jobs;

import java.time.Instant;
import java.util.List;

/**
 * Who does a job and when. An empty {@code technicianIds} means unassigned (then the slot is
 * empty).
 *
 * @param start the slot's start, within the job's window
 * @param end the slot's end, after the start and within the window
 */
public record Assignment(List<String> technicianIds, Instant start, Instant end) {
  public Assignment {
    technicianIds = technicianIds == null ? List.of() : List.copyOf(technicianIds);
  }

  public static Assignment none() {
    return new Assignment(List.of(), null, null);
  }

  /** True if at least one technician is assigned (not a JSON property). */
  public boolean hasTechnicians() {
    return !technicianIds.isEmpty();
  }
}
