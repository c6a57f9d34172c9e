package org.fieldops.api.sync;

/**
 * The result of one uploaded event, in the order of the request.
 *
 * @param reason for REJECTED (and repeated on DUPLICATE): UNKNOWN_TYPE, INVALID_DATA,
 *     ILLEGAL_TRANSITION, UNKNOWN_CODE, NOT_ASSIGNED, INVALID_ANSWER, CHECKLIST_INCOMPLETE,
 *     MEDIA_MISSING, OFFICE_OWNED_FIELD, OPID_REUSED
 * @param retryable the device may fix the cause and send the change again under a new opId
 * @param jobVersion the job's version after the event (APPLIED), or as of the first processing
 * @param firstOutcome on DUPLICATE, the outcome of the first processing
 */
public record EventResult(
    String opId,
    Outcome outcome,
    String reason,
    boolean retryable,
    Long jobVersion,
    String message,
    Outcome firstOutcome) {}
