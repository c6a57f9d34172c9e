package org.fieldops.store;

import java.math.BigDecimal;
import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;

/** A job's invoice. */
@Entity
@Table(name = "FO_INVOICE")
public class InvoiceEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "INVOICE_NO", length = 20)
  public String number;

  @Column(name = "JOB_ID", nullable = false, length = 36)
  public String jobId;

  /** The job id while not VOID: the database keeps one non-VOID invoice per job. */
  @Column(name = "ACTIVE_JOB_ID", length = 36)
  public String activeJobId;

  @Column(name = "CUSTOMER_ID", nullable = false, length = 36)
  public String customerId;

  @Column(name = "STATUS", nullable = false, length = 16)
  public String status;

  @Column(name = "CURRENCY", nullable = false, length = 3)
  public String currency;

  @Column(name = "TAX_RATE", nullable = false, precision = 9, scale = 6)
  public BigDecimal taxRate;

  @Column(name = "SUBTOTAL", nullable = false, precision = 19, scale = 2)
  public BigDecimal subtotal;

  @Column(name = "TAX", nullable = false, precision = 19, scale = 2)
  public BigDecimal tax;

  @Column(name = "TOTAL", nullable = false, precision = 19, scale = 2)
  public BigDecimal total;

  @Column(name = "FLAGS", length = 200)
  public String flags;

  @Version
  @Column(name = "VERSION", nullable = false)
  public long version;

  @Column(name = "CREATED_AT", nullable = false)
  public Instant createdAt;

  @Column(name = "UPDATED_AT", nullable = false)
  public Instant updatedAt;

  @Column(name = "UPDATED_BY", nullable = false, length = 200)
  public String updatedBy;

  @Column(name = "APPROVED_AT")
  public Instant approvedAt;

  @Column(name = "APPROVED_BY", length = 200)
  public String approvedBy;

  @Column(name = "SENT_AT")
  public Instant sentAt;

  @Column(name = "VOIDED_AT")
  public Instant voidedAt;
}
