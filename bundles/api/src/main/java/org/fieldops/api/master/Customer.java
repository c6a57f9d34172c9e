package org.fieldops.api.master;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A customer: who is billed.
 *
 * @param taxRate the sales tax rate applied to its invoices, 0 to 1 (e.g. 0.0825)
 * @param currency ISO 4217 code of its invoices
 */
public record Customer(
    String id,
    String name,
    String billingAddress,
    String contact,
    BigDecimal taxRate,
    String currency,
    long version,
    Instant createdAt,
    Instant updatedAt) {}
