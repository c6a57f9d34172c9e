package org.fieldops.api.sync;

import java.time.Instant;
import java.util.Map;

/**
 * One change a technician's device recorded, possibly hours before it is uploaded.
 *
 * @param opId chosen by the device, unique per device forever (at most 100 characters)
 * @param seq the device's counter; events of a batch apply in {@code seq} order
 * @param type {@code status}, {@code checklist}, {@code labor}, {@code part}, {@code flatRate},
 *     {@code note}, {@code photo}, {@code signature}, {@code field}
 * @param occurredAt the device's clock: kept as data only, never used to decide anything
 * @param baseVersion the job version the device last saw
 */
public record FieldEvent(
    String opId,
    Long seq,
    String jobId,
    String type,
    Instant occurredAt,
    Long baseVersion,
    Map<String, Object> data) {}
