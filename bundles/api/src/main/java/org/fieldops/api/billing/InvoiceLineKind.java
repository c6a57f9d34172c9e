package org.fieldops.api.billing;

/** Where an invoice line comes from. */
public enum InvoiceLineKind {
  /** time logged on the job, rounded up to the billing increment, at the rate code's hourly rate */
  LABOR,
  /** a part used, at the price in force when the server applied it */
  PART,
  /** a flat-rate task */
  FLAT_RATE,
  /** finance's correction on a draft */
  ADJUSTMENT
}
