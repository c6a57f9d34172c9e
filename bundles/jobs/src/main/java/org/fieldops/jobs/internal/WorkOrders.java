package org.fieldops.jobs.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.AuditEntry;
import org.fieldops.api.jobs.FlatRateTaskRef;
import org.fieldops.api.jobs.JobStatus;
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

  static List<FlatRateTaskRef> tasks(String csv) {
    List<FlatRateTaskRef> out = new ArrayList<>();
    for (String pair : split(csv)) {
      int colon = pair.lastIndexOf(':');
      out.add(new FlatRateTaskRef(pair.substring(0, colon), Integer.valueOf(pair.substring(colon + 1))));
    }
    return out;
  }

  static String tasks(List<FlatRateTaskRef> tasks) {
    return tasks == null || tasks.isEmpty()
        ? null
        : String.join(",", tasks.stream().map(t -> t.code() + ":" + t.quantity()).toList());
  }

  static JobStatus status(WorkOrderEntity e) {
    return JobStatus.valueOf(e.status);
  }

  static Assignment assignment(WorkOrderEntity e) {
    return new Assignment(split(e.technicianIds), e.slotStart, e.slotEnd);
  }

  static WorkOrder toRecord(WorkOrderEntity e, List<AuditEntry> audit) {
    return new WorkOrder(
        e.getId(), e.customerId, e.siteId, split(e.equipmentIds), e.title, e.description, e.type,
        Priority.valueOf(e.priority), e.windowStart, e.windowEnd, e.estimatedMinutes, status(e),
        assignment(e), tasks(e.flatRateTasks), e.getVersion(), e.getCreatedAt(), e.getUpdatedAt(), audit);
  }

  static AuditEntry toAudit(JobAuditEntity a) {
    return new AuditEntry(a.jobVersion, a.at, a.actor, a.action, a.field, a.oldValue, a.newValue);
  }

  static List<String> segments(String dotted) {
    return dotted == null ? List.of() : Arrays.asList(dotted.split("\\."));
  }
}
