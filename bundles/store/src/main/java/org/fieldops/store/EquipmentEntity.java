package org.fieldops.store;

import java.time.LocalDate;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Table;

@Entity
@Table(name = "FO_EQUIPMENT")
public class EquipmentEntity extends RecordEntity {
  @Column(name = "SITE_ID", nullable = false, length = 36)
  public String siteId;

  @Column(name = "TYPE", nullable = false, length = 200)
  public String type;

  @Column(name = "MAKE", length = 200)
  public String make;

  @Column(name = "MODEL", length = 200)
  public String model;

  @Column(name = "SERIAL_NUMBER", length = 200)
  public String serialNumber;

  @Column(name = "INSTALLED_ON")
  public LocalDate installedOn;
}
