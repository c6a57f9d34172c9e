package org.fieldops.store;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Table;

@Entity
@Table(name = "FO_SITE")
public class SiteEntity extends RecordEntity {
  @Column(name = "CUSTOMER_ID", nullable = false, length = 36)
  public String customerId;

  @Column(name = "ADDRESS", nullable = false, length = 10000)
  public String address;

  @Column(name = "LATITUDE")
  public Double latitude;

  @Column(name = "LONGITUDE")
  public Double longitude;

  @Column(name = "ACCESS_NOTES", length = 10000)
  public String accessNotes;
}
