package org.fieldops.jobs.internal;

import java.util.Arrays;
import java.util.List;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.AuditEntry;
import org.fieldops.api.jobs.JobChecklist;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.LineKind;
import org.fieldops.api.jobs.Priority;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.store.JobAuditEntity;
import org.fieldops.store.WorkOrderEntity;

/** Mapping between the work-order entity and the API record. */
final class WorkOrders {
  private WorkOrders() {}

  static List<String> split(String csv) {
    return csv == null || csv.isEmpty() ? List.of() : List.of(csv.split(","));
  }

  static String join(List<String> values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  static JobStatus status(WorkOrderEntity e) {
    return JobStatus.valueOf(e.status);
  }

  static Assignment assignment(WorkOrderEntity e) {
    return new Assignment(split(e.technicianIds), e.slotStart, e.slotEnd);
  }

  static WorkOrder toRecord(
      WorkOrderEntity e,
      List<JobChecklist> checklists,
      List<JobLine> lines,
      List<AuditEntry> audit) {
    return new WorkOrder(
        e.getId(),
        e.customerId,
        e.siteId,
        split(e.equipmentIds),
        e.title,
        e.description,
        e.type,
        Priority.valueOf(e.priority),
        e.windowStart,
        e.windowEnd,
        e.estimatedMinutes,
        status(e),
        assignment(e),
        checklists,
        of(lines, LineKind.LABOR),
        of(lines, LineKind.PART),
        of(lines, LineKind.FLAT_RATE),
        of(lines, LineKind.NOTE),
        e.getVersion(),
        e.getCreatedAt(),
        e.getUpdatedAt(),
        audit);
  }

  private static List<JobLine> of(List<JobLine> lines, LineKind kind) {
    return lines.stream().filter(l -> l.kind() == kind).toList();
  }

  static AuditEntry toAudit(JobAuditEntity a) {
    return new AuditEntry(a.jobVersion, a.at, a.actor, a.action, a.field, a.oldValue, a.newValue);
  }

  static List<String> segments(String dotted) {
    return dotted == null ? List.of() : Arrays.asList(dotted.split("\\."));
  }
}
