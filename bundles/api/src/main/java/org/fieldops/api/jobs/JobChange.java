package org.fieldops.api.jobs;

import java.time.Instant;
import java.util.List;

/**
 * One entry of the global change log: a job changed to {@code version}.
 *
 * @param cursor the entry's position; consecutive, and a reader that asks for entries after the
 *     last cursor it saw never misses one, whatever order the writers committed in
 */
public record JobChange(
    long cursor,
    String jobId,
    long version,
    JobStatus status,
    List<String> technicianIds,
    Instant at) {
  public JobChange {
    technicianIds = List.copyOf(technicianIds);
  }
}
