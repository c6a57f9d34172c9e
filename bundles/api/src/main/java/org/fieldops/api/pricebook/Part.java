package org.fieldops.api.pricebook;

import java.math.BigDecimal;
import java.time.Instant;

/** A part by SKU with its unit price. */
public record Part(
    String sku,
    String name,
    BigDecimal unitPrice,
    String currency,
    boolean active,
    long version,
    Instant updatedAt) {}
