package org.fieldops.api.sync;

import java.time.Instant;

/**
 * An uploaded change held for the office: a shared fact no conflict policy decided ({@code FIELD}),
 * or a technician's status move on a job the office cancelled, held or re-assigned meanwhile
 * ({@code STATUS}).
 *
 * @param status {@code OPEN} or {@code RESOLVED}
 * @param kind {@code FIELD} or {@code STATUS}
 * @param path for FIELD, the path ({@code site.accessNotes}, {@code equipment/{id}.serialNumber},
 *     …); for STATUS, {@code status}
 * @param baseValue what the device saw (FIELD: the base; STATUS: the job version it saw)
 * @param serverValue the server's value when the conflict was found
 * @param deviceValue the value (or status) the device wants
 * @param resolution {@code SERVER}, {@code DEVICE} or {@code VALUE} once resolved
 * @param resolvedValue what was kept or stored
 */
public record Review(
    String id,
    String status,
    String kind,
    String jobId,
    String deviceId,
    String opId,
    String technicianUsername,
    String path,
    String baseValue,
    String serverValue,
    String deviceValue,
    Instant deviceOccurredAt,
    Instant createdAt,
    String resolution,
    String resolvedValue,
    String resolvedBy,
    Instant resolvedAt,
    long version) {}
