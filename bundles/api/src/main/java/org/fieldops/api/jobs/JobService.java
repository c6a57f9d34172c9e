package org.fieldops.api.jobs;

import java.util.Map;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Work orders for the office. Every change bumps the job's version, is written to its audit trail
 * and appended to the {@link ChangeLog}, all in one transaction. The status machine of API.md is
 * enforced here: an illegal move is a {@link org.fieldops.api.StateConflictException} naming the
 * allowed ones. Thread-safe.
 */
@ProviderType
public interface JobService {

  /** Creates a job in status {@link JobStatus#NEW}, version 1. */
  WorkOrder create(WorkOrderDraft draft, Caller caller);

  /** The whole record. @throws org.fieldops.api.NotFoundException */
  WorkOrder get(String id);

  /** Jobs matching the query, in creation order. */
  Page<WorkOrder> list(JobQuery query, PageRequest page);

  /**
   * Office edits by JSON merge patch: {@code title}, {@code description}, {@code priority}, {@code
   * windowStart}, {@code windowEnd}, {@code estimatedMinutes}. Status, assignment and ids are
   * read-only here.
   */
  WorkOrder update(String id, long expectedVersion, Map<String, Object> patch, Caller caller);

  /**
   * Assigns (or with no technicians un-assigns) the job. Allowed in NEW, SCHEDULED, DISPATCHED,
   * EN_ROUTE, PAUSED and ON_HOLD; NEW and SCHEDULED become DISPATCHED, DISPATCHED un-assigned
   * becomes SCHEDULED, ON_HOLD stays ON_HOLD.
   *
   * @param expectedVersion the version the caller saw, or {@code null} to skip the check
   * @return the job and warnings (a technician double-booked in the slot, a missing skill)
   */
  AssignmentResult assign(String id, Long expectedVersion, Assignment assignment, Caller caller);

  /**
   * An office move of the status machine: NEW to SCHEDULED (needs a window), COMPLETED back to
   * DISPATCHED (re-open), to ON_HOLD or CANCELLED from any open status, ON_HOLD to SCHEDULED.
   *
   * @param expectedVersion the version the caller saw, or {@code null} to skip the check
   */
  WorkOrder transition(String id, Long expectedVersion, JobStatus to, String reason, Caller caller);

  /**
   * An office correction: adds a labor, part, flat-rate or note line. Codes must be active in the
   * price book; the line takes the price in force now. The job's version goes up; audited.
   *
   * @throws org.fieldops.api.ValidationException naming the field (unknown code, end before
   *     start...)
   * @throws org.fieldops.api.StateConflictException on a CLOSED job
   */
  JobLine addLine(String jobId, LineDraft draft, Caller caller);

  /**
   * An office correction of a line by merge patch: {@code quantity}, {@code startedAt}, {@code
   * endedAt}, {@code text}, {@code technicianId}, {@code voided}. The line keeps its price.
   *
   * @param expectedVersion the line's version the caller saw
   */
  JobLine updateLine(
      String jobId,
      String lineId,
      long expectedVersion,
      java.util.Map<String, Object> patch,
      Caller caller);

  /**
   * Records a technician's answer to a checklist item of the job (every answer is kept; the newest
   * counts). The answer must fit the item: yes/no, a number in range, text, one of the choices, or
   * a photo's {@code {"sha256": ...}}; then the contributing provider may refuse it.
   *
   * @param answer {@code Boolean}, a {@code Number}, a {@code String}, or a {@code Map} with {@code
   *     sha256}
   * @throws org.fieldops.api.ValidationException on {@code answer} with the reason
   * @throws org.fieldops.api.NotFoundException for an unknown job, template or item
   */
  JobChecklist answerChecklist(
      String jobId, String templateId, String itemId, Object answer, Caller caller);

  /**
   * A technician's status move (the caller must be linked to a technician assigned to the job).
   * Moving to COMPLETED is refused while a required checklist item is unanswered.
   *
   * @throws org.fieldops.api.NotFoundException if the job is unknown or not assigned to the caller
   * @throws ChecklistIncompleteException naming the missing items
   * @throws org.fieldops.api.StateConflictException for a move the status machine does not allow
   */
  WorkOrder moveByTechnician(String jobId, JobStatus to, Caller caller);

  /** The job's audit trail, newest first. */
  Page<AuditEntry> audit(String id, PageRequest page);

  /**
   * Several whole records at once (checklists, lines; no audit), in the order of {@code ids}; ids
   * of unknown jobs are skipped. A few queries whatever the number of jobs.
   */
  java.util.List<WorkOrder> getAll(java.util.Collection<String> ids);

  /** The business time zone: dates, "today" and scheduled times are read in it. */
  java.time.ZoneId zone();

  /**
   * Records a change of the job made by someone other than its editors (a resolved office review, a
   * shared fact the field changed): bumps its version, audits {@code field} and appends to the
   * change log, so the technicians' next delta carries the job again.
   *
   * @return the job's new version
   */
  long touch(
      String jobId, String action, String field, String oldValue, String newValue, Caller caller);

  /**
   * A move only the platform makes (COMPLETED → INVOICED on approval, INVOICED → CLOSED on
   * sending), joined to the caller's transaction if there is one.
   *
   * @throws org.fieldops.api.StateConflictException if the status machine does not allow it
   */
  WorkOrder systemTransition(String jobId, JobStatus to, String reason, Caller caller);
}
