package org.fieldops.client;

import java.time.Instant;
import java.util.List;

/**
 * One change the technician recorded: a field event in the device's queue, and what became of it.
 *
 * @param opId the event's id, unique for this device forever (a random UUID)
 * @param seq the device's counter, increasing for the life of the device id
 * @param jobId the job
 * @param type {@code status}, {@code checklist}, {@code labor}, {@code part}, {@code flatRate},
 *     {@code note}, {@code photo}, {@code signature} or {@code field}
 * @param data the event's {@code data}, in JSON
 * @param occurredAt when it was recorded (device clock)
 * @param baseVersion the job version the device had seen, or {@code null}
 * @param media SHA-256 hashes of the photos and signatures it names (uploaded before it)
 * @param status where it stands
 * @param reason for {@link Status#REJECTED}: the server's reason ({@code MEDIA_MISSING}, ...)
 * @param retryable for {@link Status#REJECTED}: whether fixing the cause and sending it again
 *     (under a new opId, see {@link FieldClient#retry}) can succeed
 * @param message the server's explanation, for people
 * @param jobVersion the job's version after it ({@code APPLIED}, {@code MERGED}), or now ({@code
 *     REVIEW})
 * @param reviewId for {@link Status#IN_REVIEW}: the office review holding it
 * @param reviewStatus for {@link Status#IN_REVIEW}: {@code OPEN} or {@code RESOLVED} as last seen
 *     in the server's sync status, or {@code null} before that
 * @param resolution for a resolved review: {@code SERVER}, {@code DEVICE} or {@code VALUE}
 * @param value for a {@code field} event applied or merged: the value the server holds now
 * @param replaces the opId of the rejected change this one sends again, or {@code null}
 * @param replacedBy for {@link Status#REQUEUED}: the opId it was sent again under
 */
public record Change(
    String opId,
    long seq,
    String jobId,
    String type,
    String data,
    Instant occurredAt,
    Long baseVersion,
    List<String> media,
    Status status,
    String reason,
    boolean retryable,
    String message,
    Long jobVersion,
    String reviewId,
    String reviewStatus,
    String resolution,
    String value,
    String replaces,
    String replacedBy) {
  public Change {
    media = List.copyOf(media);
  }

  /** Where a change stands. */
  public enum Status {
    /** On the device, not answered by the server yet: will be sent (again) until answered. */
    PENDING,
    /** Applied by the server. */
    APPLIED,
    /** A {@code field} conflict a policy decided; {@link Change#value()} is the outcome. */
    MERGED,
    /** Held for the office; see {@link Change#reviewStatus()}. */
    IN_REVIEW,
    /** Refused by the server for {@link Change#reason()}. */
    REJECTED,
    /** Was rejected as retryable and has been sent again as {@link Change#replacedBy()}. */
    REQUEUED
  }
}
