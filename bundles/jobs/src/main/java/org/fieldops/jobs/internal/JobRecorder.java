package org.fieldops.jobs.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.persistence.EntityManager;
import org.fieldops.store.ChangeEntity;
import org.fieldops.store.ChangeTechnicianEntity;
import org.fieldops.store.Ids;
import org.fieldops.store.JobAuditEntity;
import org.fieldops.store.StatusFactEntity;
import org.fieldops.store.WorkOrderEntity;

/**
 * Writes what every change of a job leaves behind, inside the changing transaction: one audit row
 * per changed field, and one change-log row (unstamped; the sequencer gives it a cursor after
 * commit) with the technicians it concerns, marking those the job left.
 */
final class JobRecorder {

  /** One changed field. */
  record FieldChange(String field, Object oldValue, Object newValue) {
    boolean changed() {
      return !Objects.equals(text(oldValue), text(newValue));
    }
  }

  /** Statuses in which a change of the job concerns its invoice. */
  static final List<String> BILLABLE = List.of("COMPLETED", "INVOICED");

  private JobRecorder() {}

  /**
   * Flushes the job (so its version is the new one), then writes the audit rows and the change-log
   * row. {@code before} are the technicians assigned before the change.
   */
  static void record(
      EntityManager em,
      WorkOrderEntity job,
      String actor,
      Instant at,
      String action,
      List<FieldChange> changes,
      List<String> before) {
    em.flush();
    List<FieldChange> effective = changes.stream().filter(FieldChange::changed).toList();
    if (effective.isEmpty()) {
      audit(em, job, actor, at, action, null, null, null);
    }
    for (FieldChange c : effective) {
      audit(em, job, actor, at, action, c.field(), text(c.oldValue()), text(c.newValue()));
    }
    ChangeEntity change = new ChangeEntity();
    change.id = Ids.next();
    change.jobId = job.getId();
    change.jobVersion = job.getVersion();
    change.status = job.status;
    change.technicianIds = job.technicianIds;
    change.at = at;
    em.persist(change);
    for (FieldChange c : effective) {
      if ("status".equals(c.field())) {
        String from = text(c.oldValue());
        String to = text(c.newValue());
        statusFact(em, job, actor, at, from, to);
        if ("COMPLETED".equals(to)) {
          em.flush();
          CompletionFacts.refresh(em, job);
        } else if ("COMPLETED".equals(from) && "DISPATCHED".equals(to)) {
          CompletionFacts.reopened(em, job.getId());
        } else if ("CANCELLED".equals(to)) {
          CompletionFacts.cancelled(em, job.getId());
        }
      }
    }
    if ("created".equals(action)) {
      CompletionFacts.created(em, job, at);
    }
    if (BILLABLE.contains(job.status)) {
      // the completion, or field work arriving after it: billing drafts or refreshes the invoice
      org.fieldops.store.BillingRequestEntity request =
          new org.fieldops.store.BillingRequestEntity();
      request.id = Ids.next();
      request.jobId = job.getId();
      request.createdAt = at;
      em.persist(request);
    }
    List<String> now = WorkOrders.split(job.technicianIds);
    boolean gone = "CANCELLED".equals(job.status);
    Set<String> concerned = new LinkedHashSet<>(now);
    concerned.addAll(before);
    for (String tech : concerned) {
      boolean removed = gone || !now.contains(tech);
      em.persist(new ChangeTechnicianEntity(change.id, tech, removed));
    }
  }

  /**
   * The status move as a report fact: since when the job was in the status it left (its previous
   * move, else its creation), and who moved it (the technician of the acting user, else the first
   * assigned technician).
   */
  private static void statusFact(
      EntityManager em, WorkOrderEntity job, String actor, Instant at, String from, String to) {
    StatusFactEntity f = new StatusFactEntity();
    f.id = Ids.next();
    f.jobId = job.getId();
    f.fromStatus = from;
    f.toStatus = to;
    f.at = at;
    Instant previous =
        em.createQuery(
                "SELECT MAX(s.at) FROM StatusFactEntity s WHERE s.jobId = :job", Instant.class)
            .setParameter("job", job.getId())
            .getSingleResult();
    f.since = previous != null ? previous : job.getCreatedAt();
    if (f.since.isAfter(at)) {
      f.since = at;
    }
    List<String> mover =
        em.createQuery("SELECT t.id FROM TechnicianEntity t WHERE t.username = :user", String.class)
            .setParameter("user", actor)
            .getResultList();
    List<String> assigned = WorkOrders.split(job.technicianIds);
    f.technicianId = !mover.isEmpty() ? mover.get(0) : assigned.isEmpty() ? null : assigned.get(0);
    f.actor = actor;
    f.slotStart = job.slotStart;
    f.slotEnd = job.slotEnd;
    em.persist(f);
  }

  private static void audit(
      EntityManager em,
      WorkOrderEntity job,
      String actor,
      Instant at,
      String action,
      String field,
      String oldValue,
      String newValue) {
    JobAuditEntity a = new JobAuditEntity();
    a.id = Ids.next();
    a.jobId = job.getId();
    a.jobVersion = job.getVersion();
    a.at = at;
    a.actor = actor;
    a.action = action;
    a.field = field;
    a.oldValue = oldValue;
    a.newValue = newValue;
    em.persist(a);
  }

  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      list.forEach(v -> parts.add(String.valueOf(v)));
      return String.join(",", parts);
    }
    String s = String.valueOf(value);
    return s.length() > 10_000 ? s.substring(0, 10_000) : s;
  }
}
