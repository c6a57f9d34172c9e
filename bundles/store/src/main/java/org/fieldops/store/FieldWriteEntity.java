package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** The last value a technician's device wrote to a shared fact (site or equipment field). */
@Entity
@Table(name = "FO_FIELD_WRITE")
public class FieldWriteEntity {
  @Id
  @Column(name = "PATH", length = 200)
  public String path;

  @Column(name = "DEVICE_ID", nullable = false, length = 100)
  public String deviceId;

  @Column(name = "USERNAME", nullable = false, length = 64)
  public String username;

  @Column(name = "FIELD_VALUE", length = 10000)
  public String value;

  @Column(name = "WRITTEN_AT", nullable = false)
  public Instant writtenAt;
}
