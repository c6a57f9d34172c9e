package org.fieldops.api.sync;

import java.time.Instant;

/** A rejected event, kept for the technician and the office until acknowledged (and after). */
public record Rejection(
    String deviceId,
    String opId,
    long seq,
    String jobId,
    String type,
    String reason,
    boolean retryable,
    String message,
    String technicianUsername,
    Instant occurredAt,
    Instant receivedAt,
    boolean acknowledged,
    String acknowledgedBy,
    Instant acknowledgedAt) {}
