package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** One upload (batch of events) of a device with its outcomes, for reports (append-only). */
@Entity
@Table(name = "FO_UPLOAD")
public class UploadEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "DEVICE_ID", nullable = false, length = 100)
  public String deviceId;

  @Column(name = "USERNAME", nullable = false, length = 64)
  public String username;

  @Column(name = "RECEIVED_AT", nullable = false)
  public Instant receivedAt;

  @Column(name = "EVENTS", nullable = false)
  public int events;

  @Column(name = "APPLIED", nullable = false)
  public int applied;

  @Column(name = "DUPLICATES", nullable = false)
  public int duplicates;

  @Column(name = "IN_REVIEW", nullable = false)
  public int inReview;

  @Column(name = "REJECTED", nullable = false)
  public int rejected;
}
