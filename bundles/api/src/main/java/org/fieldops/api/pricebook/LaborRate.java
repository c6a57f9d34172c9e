package org.fieldops.api.pricebook;

import java.math.BigDecimal;
import java.time.Instant;

/** A labor rate: what an hour of work under this code costs. */
public record LaborRate(
    String code,
    String name,
    BigDecimal hourlyRate,
    String currency,
    boolean active,
    long version,
    Instant updatedAt) {}
