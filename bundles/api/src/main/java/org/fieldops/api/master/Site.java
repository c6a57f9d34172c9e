package org.fieldops.api.master;

import java.time.Instant;

/**
 * A place where work is done, belonging to one customer.
 *
 * @param accessNotes how to get in (gate codes, keys, hazards): shared with technicians
 */
public record Site(
    String id,
    String customerId,
    String address,
    Double latitude,
    Double longitude,
    String accessNotes,
    long version,
    Instant createdAt,
    Instant updatedAt) {}
