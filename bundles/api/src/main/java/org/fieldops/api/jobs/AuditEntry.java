package org.fieldops.api.jobs;

import java.time.Instant;

/**
 * One recorded change of a job: who, when, what, with the old and new value (as text).
 *
 * @param version the job's version after the change
 * @param action e.g. {@code created}, {@code updated}, {@code status}, {@code assigned}
 */
public record AuditEntry(
    long version,
    Instant at,
    String actor,
    String action,
    String field,
    String oldValue,
    String newValue) {}
