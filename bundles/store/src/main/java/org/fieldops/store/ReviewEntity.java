package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;

/** A conflict held for the office. */
@Entity
@Table(name = "FO_REVIEW")
public class ReviewEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "STATUS", nullable = false, length = 16)
  public String status;

  @Column(name = "KIND", nullable = false, length = 16)
  public String kind;

  @Column(name = "JOB_ID", nullable = false, length = 36)
  public String jobId;

  @Column(name = "DEVICE_ID", nullable = false, length = 100)
  public String deviceId;

  @Column(name = "OP_ID", nullable = false, length = 100)
  public String opId;

  @Column(name = "USERNAME", nullable = false, length = 64)
  public String username;

  @Column(name = "PATH", nullable = false, length = 200)
  public String path;

  @Column(name = "BASE_VALUE", length = 10000)
  public String baseValue;

  @Column(name = "SERVER_VALUE", length = 10000)
  public String serverValue;

  @Column(name = "DEVICE_VALUE", length = 10000)
  public String deviceValue;

  @Column(name = "DEVICE_OCCURRED_AT")
  public Instant deviceOccurredAt;

  @Column(name = "CREATED_AT", nullable = false)
  public Instant createdAt;

  @Column(name = "RESOLUTION", length = 16)
  public String resolution;

  @Column(name = "RESOLVED_VALUE", length = 10000)
  public String resolvedValue;

  @Column(name = "RESOLVED_BY", length = 64)
  public String resolvedBy;

  @Column(name = "RESOLVED_AT")
  public Instant resolvedAt;

  @Version
  @Column(name = "VERSION", nullable = false)
  public long version;
}
