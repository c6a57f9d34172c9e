package org.fieldops.api.master;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A unit installed at a site.
 *
 * @param type dotted lower-case type, e.g. {@code hvac.rooftop}; checklists apply by it
 */
public record Equipment(
    String id,
    String siteId,
    String type,
    String make,
    String model,
    String serialNumber,
    LocalDate installedOn,
    long version,
    Instant createdAt,
    Instant updatedAt) {}
