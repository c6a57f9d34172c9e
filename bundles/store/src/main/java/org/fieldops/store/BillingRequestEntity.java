package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A job whose invoice must be drafted or refreshed (written with the completion). */
@Entity
@Table(name = "FO_BILLING_REQUEST")
public class BillingRequestEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "JOB_ID", nullable = false, length = 36)
  public String jobId;

  @Column(name = "CREATED_AT", nullable = false)
  public Instant createdAt;
}
