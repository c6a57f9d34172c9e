package org.fieldops.api.billing;

import java.time.Instant;

/**
 * An outbox record: one delivery of an approved (or voided) invoice to the accounting connector.
 *
 * @param kind {@code INVOICE} or {@code VOID}
 * @param status {@code PENDING → DONE}, or {@code FAILED} (retrying) → {@code DEAD}
 * @param connector the configured connector's name
 * @param externalId what the connector reported on success (its document id), if anything
 */
public record ExportRecord(
    String id,
    String invoiceId,
    String invoiceNumber,
    String kind,
    String status,
    int attempts,
    String lastError,
    Instant nextAttemptAt,
    String connector,
    String externalId,
    Instant createdAt,
    Instant doneAt,
    long version) {}
