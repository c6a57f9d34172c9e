package org.fieldops.api.jobs;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A time & materials line on a job. Prices are the price book's when the server applied the line
 * and do not change with later price-book edits.
 *
 * @param code the labor rate code, part SKU or flat-rate task code; {@code null} for notes
 * @param description the price-book name at the time
 * @param quantity hours for labor (to 4 decimals), units otherwise; {@code null} for notes
 * @param amount {@code quantity x unitPrice}, rounded half-even to cents; billing rounds labor
 *     itself
 * @param source {@code OFFICE} or {@code FIELD}
 * @param voided a correction took this line out; it stays visible, audited
 */
public record JobLine(
    String id,
    LineKind kind,
    String code,
    String description,
    BigDecimal quantity,
    Instant startedAt,
    Instant endedAt,
    BigDecimal unitPrice,
    String currency,
    BigDecimal amount,
    String text,
    String technicianId,
    String source,
    boolean voided,
    long version,
    Instant createdAt,
    String createdBy) {}
