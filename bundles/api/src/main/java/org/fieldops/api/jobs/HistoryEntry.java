package org.fieldops.api.jobs;

import java.time.Instant;
import java.util.List;

/**
 * One job in the history of a site or a piece of equipment.
 *
 * @param outcome the job's status now (COMPLETED, CANCELLED, ... or an open status)
 * @param when the start of the slot, else of the window, else when the job was created
 * @param technicianNames names of the technicians assigned (as now)
 * @param checklists the job's checklists with their answers (equipment history only; else empty)
 * @param parts the part lines of the job (equipment history only; else empty)
 */
public record HistoryEntry(
    String jobId,
    String title,
    String type,
    JobStatus outcome,
    Instant when,
    List<String> technicianIds,
    List<String> technicianNames,
    List<JobChecklist> checklists,
    List<JobLine> parts) {
  public HistoryEntry {
    technicianIds = List.copyOf(technicianIds);
    technicianNames = List.copyOf(technicianNames);
    checklists = List.copyOf(checklists);
    parts = List.copyOf(parts);
  }
}
