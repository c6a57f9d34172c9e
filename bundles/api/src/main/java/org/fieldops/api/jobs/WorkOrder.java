package org.fieldops.api.jobs;

import java.time.Instant;
import java.util.List;

/**
 * The whole work order record.
 *
 * @param audit the newest audit entries first (at most 50; all of them through {@link JobService#audit})
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
    List<FlatRateTaskRef> flatRateTasks,
    long version,
    Instant createdAt,
    Instant updatedAt,
    List<AuditEntry> audit) {
  public WorkOrder {
    equipmentIds = List.copyOf(equipmentIds);
    flatRateTasks = List.copyOf(flatRateTasks);
    audit = List.copyOf(audit);
  }
}
