package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** Who did what to an invoice. */
@Entity
@Table(name = "FO_INVOICE_AUDIT")
public class InvoiceAuditEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "INVOICE_ID", nullable = false, length = 36)
  public String invoiceId;

  @Column(name = "AT_TIME", nullable = false)
  public Instant at;

  @Column(name = "ACTOR", nullable = false, length = 200)
  public String actor;

  @Column(name = "AUDIT_ACTION", nullable = false, length = 32)
  public String action;

  @Column(name = "DETAIL", length = 10000)
  public String detail;
}
