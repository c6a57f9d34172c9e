package org.fieldops.api.billing;

import java.math.BigDecimal;

/**
 * One invoice line; {@code amount = quantity × unitPrice} rounded half-even to cents.
 *
 * @param sourceLineId the job line it was drafted from ({@code null} for adjustments)
 */
public record InvoiceLine(
    String id,
    InvoiceLineKind kind,
    String description,
    BigDecimal quantity,
    BigDecimal unitPrice,
    BigDecimal amount,
    String sourceLineId) {}
