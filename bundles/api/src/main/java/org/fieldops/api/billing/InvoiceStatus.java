package org.fieldops.api.billing;

/** {@code DRAFT → APPROVED → SENT}; {@code VOID} from any of them. */
public enum InvoiceStatus {
  DRAFT,
  APPROVED,
  SENT,
  VOID
}
