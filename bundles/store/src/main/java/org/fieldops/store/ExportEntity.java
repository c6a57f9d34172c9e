package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;

/** An outbox record for the accounting connector. */
@Entity
@Table(name = "FO_EXPORT")
public class ExportEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "INVOICE_ID", nullable = false, length = 36)
  public String invoiceId;

  @Column(name = "INVOICE_NO", nullable = false, length = 20)
  public String invoiceNumber;

  @Column(name = "KIND", nullable = false, length = 16)
  public String kind;

  @Column(name = "STATUS", nullable = false, length = 16)
  public String status;

  @Column(name = "ATTEMPTS", nullable = false)
  public int attempts;

  @Column(name = "LAST_ERROR", length = 2000)
  public String lastError;

  @Column(name = "NEXT_ATTEMPT_AT", nullable = false)
  public Instant nextAttemptAt;

  @Column(name = "CONNECTOR", length = 200)
  public String connector;

  @Column(name = "EXTERNAL_ID", length = 200)
  public String externalId;

  @Column(name = "CREATED_AT", nullable = false)
  public Instant createdAt;

  @Column(name = "DONE_AT")
  public Instant doneAt;

  @Column(name = "LEASE_HOLDER", length = 200)
  public String leaseHolder;

  @Column(name = "LEASE_UNTIL")
  public Instant leaseUntil;

  @Version
  @Column(name = "VERSION", nullable = false)
  public long version;
}
