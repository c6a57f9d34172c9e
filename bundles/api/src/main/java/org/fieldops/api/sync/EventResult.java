package org.fieldops.api.sync;

/**
 * The result of one uploaded event, in the order of the request.
 *
 * @param reason for REJECTED (and repeated on DUPLICATE): UNKNOWN_TYPE, INVALID_DATA,
 *     ILLEGAL_TRANSITION, UNKNOWN_CODE, NOT_ASSIGNED, INVALID_ANSWER, CHECKLIST_INCOMPLETE,
 *     MEDIA_MISSING, OFFICE_OWNED_FIELD, OPID_REUSED
 * @param retryable the device may fix the cause and send the change again under a new opId
 * @param jobVersion the job's version after the event (APPLIED, MERGED), or as of the first
 *     processing
 * @param firstOutcome on DUPLICATE, the outcome of the first processing
 * @param policy on MERGED, the policy that decided and how ({@code name:KEEP_SERVER})
 * @param value on MERGED, the value the server kept or stored
 * @param reviewId on REVIEW, the office review holding the event
 */
public record EventResult(
    String opId,
    Outcome outcome,
    String reason,
    boolean retryable,
    Long jobVersion,
    String message,
    Outcome firstOutcome,
    String policy,
    String value,
    String reviewId) {

  /** A result without conflict details. */
  public EventResult(
      String opId,
      Outcome outcome,
      String reason,
      boolean retryable,
      Long jobVersion,
      String message,
      Outcome firstOutcome) {
    this(opId, outcome, reason, retryable, jobVersion, message, firstOutcome, null, null, null);
  }
}
