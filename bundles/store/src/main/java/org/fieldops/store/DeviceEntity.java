package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A technician's device; it belongs to the user who first used it until the office releases it. */
@Entity
@Table(name = "FO_DEVICE")
public class DeviceEntity {
  @Id
  @Column(name = "DEVICE_ID", length = 100)
  public String deviceId;

  @Column(name = "USERNAME", nullable = false, length = 64)
  public String username;

  @Column(name = "FIRST_SEEN", nullable = false)
  public Instant firstSeen;

  @Column(name = "LAST_UPLOAD")
  public Instant lastUpload;

  @Column(name = "LAST_SEQ")
  public Long lastSeq;
}
