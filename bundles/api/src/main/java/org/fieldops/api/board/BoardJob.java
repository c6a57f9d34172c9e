package org.fieldops.api.board;

import java.time.Instant;
import java.util.List;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.Priority;

/**
 * A job as the board shows it.
 *
 * @param slotStart the assigned slot, or {@code null} when unassigned
 * @param lastNote the text of the newest note line that is not voided, or {@code null}
 */
public record BoardJob(
    String id,
    String title,
    String type,
    Priority priority,
    JobStatus status,
    String customerId,
    String customerName,
    String siteId,
    String siteAddress,
    Instant windowStart,
    Instant windowEnd,
    Instant slotStart,
    Instant slotEnd,
    List<String> technicianIds,
    String lastNote,
    long version) {
  public BoardJob {
    technicianIds = List.copyOf(technicianIds);
  }
}
