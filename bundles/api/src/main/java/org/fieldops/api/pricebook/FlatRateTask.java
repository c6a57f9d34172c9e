package org.fieldops.api.pricebook;

import java.math.BigDecimal;
import java.time.Instant;

/** A task sold at a fixed price, whatever the time it takes. */
public record FlatRateTask(
    String code,
    String name,
    BigDecimal price,
    String currency,
    boolean active,
    long version,
    Instant updatedAt) {}
