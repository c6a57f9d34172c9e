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
      List<org.fieldops.api.jobs.JobMedia> media,
      List<AuditEntry> audit) {
    org.fieldops.api.jobs.JobMedia signature = null;
    for (org.fieldops.api.jobs.JobMedia m : media) {
      if ("signature".equals(m.kind())) {
        signature = m; // oldest first: the last one is the newest
      }
    }
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
        media,
        signature,
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

  /** The media of several jobs, oldest first per job, in one query per 500 jobs. */
  static java.util.Map<String, List<org.fieldops.api.jobs.JobMedia>> media(
      javax.persistence.EntityManager em, List<String> jobIds) {
    java.util.Map<String, List<org.fieldops.api.jobs.JobMedia>> out = new java.util.HashMap<>();
    for (int from = 0; from < jobIds.size(); from += 500) {
      for (org.fieldops.store.MediaRefEntity r :
          em.createQuery(
                  "SELECT r FROM MediaRefEntity r WHERE r.jobId IN :jobs",
                  org.fieldops.store.MediaRefEntity.class)
              .setParameter("jobs", jobIds.subList(from, Math.min(jobIds.size(), from + 500)))
              .getResultList()) {
        out.computeIfAbsent(r.jobId, k -> new java.util.ArrayList<>())
            .add(
                new org.fieldops.api.jobs.JobMedia(
                    r.sha256, r.kind, r.caption, r.addedBy, r.addedAt));
      }
    }
    java.util.Comparator<org.fieldops.api.jobs.JobMedia> byTime =
        java.util.Comparator.comparing(
            org.fieldops.api.jobs.JobMedia::addedAt,
            java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
    out.values().forEach(l -> l.sort(byTime.thenComparing(org.fieldops.api.jobs.JobMedia::sha256)));
    return out;
  }
}
