package org.fieldops.jobs.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.persistence.EntityManager;
import org.fieldops.store.JobCompletionEntity;
import org.fieldops.store.StatusFactEntity;
import org.fieldops.store.WorkOrderEntity;

/**
 * Keeps {@code FO_JOB_COMPLETION}: one row per completed job with the figures the reports read (who
 * completed it when, travel, time on site, first arrival against the slot, whether a later job came
 * back to the same equipment within 30 days). Written inside the changing transaction.
 */
final class CompletionFacts {
  /**
   * A job at the same equipment created this soon after a completion makes it no first-time fix.
   */
  static final Duration REVISIT_WINDOW = Duration.ofDays(30);

  private CompletionFacts() {}

  /**
   * The job's row from its status facts up to its last completion (already persisted and flushed).
   * Idempotent: the backfill and a completion may both call it.
   */
  static void refresh(EntityManager em, WorkOrderEntity job) {
    List<StatusFactEntity> facts =
        em.createQuery(
                "SELECT s FROM StatusFactEntity s WHERE s.jobId = :job ORDER BY s.at, s.id",
                StatusFactEntity.class)
            .setParameter("job", job.getId())
            .getResultList();
    StatusFactEntity completion = null;
    for (StatusFactEntity f : facts) {
      if ("COMPLETED".equals(f.toStatus)) {
        completion = f;
      }
    }
    if (completion == null) {
      return;
    }
    JobCompletionEntity row = em.find(JobCompletionEntity.class, job.getId());
    if (row == null) {
      row = new JobCompletionEntity();
      row.jobId = job.getId();
      em.persist(row);
    }
    row.completedAt = completion.at;
    row.technicianId = completion.technicianId;
    row.customerId = job.customerId;
    row.jobType = job.type;
    row.travelled = 0;
    row.travelSeconds = 0;
    row.onSiteSeconds = 0;
    row.arrival = null;
    boolean arrived = false;
    for (StatusFactEntity f : facts) {
      if (f.at.isAfter(completion.at)) {
        break;
      }
      long seconds = Math.max(0, Duration.between(f.since, f.at).toSeconds());
      if ("EN_ROUTE".equals(f.fromStatus) && "ON_SITE".equals(f.toStatus)) {
        row.travelled = 1;
        row.travelSeconds += seconds;
      }
      if ("ON_SITE".equals(f.fromStatus)) {
        row.onSiteSeconds += seconds;
      }
      if ("ON_SITE".equals(f.toStatus) && !arrived) {
        arrived = true;
        if (f.slotStart != null && f.slotEnd != null) {
          row.arrival =
              f.at.isBefore(f.slotStart) ? "EARLY" : f.at.isAfter(f.slotEnd) ? "LATE" : "ON_TIME";
        }
      }
    }
    List<String> equipment = WorkOrders.split(job.equipmentIds);
    row.withEquipment = equipment.isEmpty() ? 0 : 1;
    row.revisitJobId = equipment.isEmpty() ? null : revisit(em, job.getId(), completion.at);
  }

  /** A later job (not cancelled) at the same equipment, created within the window, if any. */
  private static String revisit(EntityManager em, String jobId, Instant completedAt) {
    List<String> later =
        em.createQuery(
                "SELECT j.id FROM JobEquipmentEntity e1, JobEquipmentEntity e2, WorkOrderEntity j"
                    + " WHERE e1.jobId = :job AND e2.equipmentId = e1.equipmentId"
                    + " AND j.id = e2.jobId AND j.id <> :job AND j.status <> 'CANCELLED'"
                    + " AND j.createdAt > :at AND j.createdAt <= :until ORDER BY j.createdAt",
                String.class)
            .setParameter("job", jobId)
            .setParameter("at", completedAt)
            .setParameter("until", completedAt.plus(REVISIT_WINDOW))
            .setMaxResults(1)
            .getResultList();
    return later.isEmpty() ? null : later.get(0);
  }

  /** The office re-opened the job: it is not completed any more. */
  static void reopened(EntityManager em, String jobId) {
    JobCompletionEntity row = em.find(JobCompletionEntity.class, jobId);
    if (row != null) {
      em.remove(row);
    }
  }

  /**
   * A new job with equipment: completions at that equipment within the window before it are no
   * first-time fixes any more.
   */
  static void created(EntityManager em, WorkOrderEntity job, Instant at) {
    List<String> equipment = WorkOrders.split(job.equipmentIds);
    if (equipment.isEmpty()) {
      return;
    }
    List<JobCompletionEntity> earlier =
        em.createQuery(
                "SELECT c FROM JobCompletionEntity c WHERE c.revisitJobId IS NULL"
                    + " AND c.completedAt >= :from AND c.completedAt < :at AND c.jobId IN"
                    + " (SELECT e.jobId FROM JobEquipmentEntity e WHERE e.equipmentId IN :units"
                    + " AND e.jobId <> :job)",
                JobCompletionEntity.class)
            .setParameter("from", at.minus(REVISIT_WINDOW))
            .setParameter("at", at)
            .setParameter("units", equipment)
            .setParameter("job", job.getId())
            .getResultList();
    for (JobCompletionEntity c : earlier) {
      c.revisitJobId = job.getId();
    }
  }

  /** A cancelled job is no revisit: the completions it marked are looked at again. */
  static void cancelled(EntityManager em, String jobId) {
    List<JobCompletionEntity> marked =
        em.createQuery(
                "SELECT c FROM JobCompletionEntity c WHERE c.revisitJobId = :job",
                JobCompletionEntity.class)
            .setParameter("job", jobId)
            .getResultList();
    for (JobCompletionEntity c : marked) {
      WorkOrderEntity completed = em.find(WorkOrderEntity.class, c.jobId);
      c.revisitJobId = completed == null ? null : revisit(em, c.jobId, c.completedAt);
    }
  }
}
