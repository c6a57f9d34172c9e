package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** One audited change of one field of a job (append-only). */
@Entity
@Table(name = "FO_JOB_AUDIT")
public class JobAuditEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "JOB_ID", nullable = false, length = 36)
  public String jobId;

  @Column(name = "JOB_VERSION", nullable = false)
  public long jobVersion;

  @Column(name = "CHANGED_AT", nullable = false)
  public Instant at;

  @Column(name = "ACTOR", nullable = false, length = 200)
  public String actor;

  @Column(name = "AUDIT_ACTION", nullable = false, length = 32)
  public String action;

  @Column(name = "FIELD", length = 200)
  public String field;

  @Column(name = "OLD_VALUE", length = 10000)
  public String oldValue;

  @Column(name = "NEW_VALUE", length = 10000)
  public String newValue;
}
