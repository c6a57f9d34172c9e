package org.fieldops.api.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A job's invoice. At most one non-VOID invoice exists per job.
 *
 * @param number {@code INV-000001}…, assigned at approval (gapless, never reset); {@code null} on
 *     drafts
 * @param tax {@code round(subtotal × taxRate)} half-even to cents
 * @param pendingLines field work that arrived after approval (not on the invoice)
 * @param flags e.g. {@code CURRENCY_MISMATCH} when a price's currency differs from the customer's
 */
public record Invoice(
    String id,
    String number,
    String jobId,
    String customerId,
    InvoiceStatus status,
    String currency,
    List<InvoiceLine> lines,
    BigDecimal subtotal,
    BigDecimal taxRate,
    BigDecimal tax,
    BigDecimal total,
    List<InvoiceLine> pendingLines,
    List<String> flags,
    long version,
    Instant createdAt,
    Instant updatedAt,
    Instant approvedAt,
    String approvedBy,
    Instant sentAt,
    Instant voidedAt) {
  public Invoice {
    lines = List.copyOf(lines);
    pendingLines = List.copyOf(pendingLines);
    flags = List.copyOf(flags);
  }
}
