package org.fieldops.api.jobs;

import java.time.Instant;
import java.util.List;

/**
 * The whole work order record. Lines are grouped by kind, voided ones included (marked).
 *
 * @param checklists the checklists fixed at the job's first dispatch, with their answers (empty
 *     before)
 * @param media photos, signatures and checklist photos, oldest first
 * @param signature the newest signature, or {@code null}
 * @param audit the newest audit entries first (at most 50; all of them through {@link
 *     JobService#audit})
 */
public record WorkOrder(
    String id,
    String customerId,
    String siteId,
    List<String> equipmentIds,
    String title,
    String description,
    String type,
    Priority priority,
    Instant windowStart,
    Instant windowEnd,
    Integer estimatedMinutes,
    JobStatus status,
    Assignment assignment,
    List<JobChecklist> checklists,
    List<JobLine> labor,
    List<JobLine> parts,
    List<JobLine> flatRateTasks,
    List<JobLine> notes,
    List<JobMedia> media,
    JobMedia signature,
    long version,
    Instant createdAt,
    Instant updatedAt,
    List<AuditEntry> audit) {
  public WorkOrder {
    equipmentIds = List.copyOf(equipmentIds);
    checklists = List.copyOf(checklists);
    labor = List.copyOf(labor);
    parts = List.copyOf(parts);
    flatRateTasks = List.copyOf(flatRateTasks);
    notes = List.copyOf(notes);
    media = List.copyOf(media);
    audit = List.copyOf(audit);
  }
}
