package org.fieldops.store;

import java.math.BigDecimal;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Table;

@Entity
@Table(name = "FO_CUSTOMER")
public class CustomerEntity extends RecordEntity {
  @Column(name = "NAME", nullable = false, length = 200)
  public String name;

  @Column(name = "BILLING_ADDRESS", length = 10000)
  public String billingAddress;

  @Column(name = "CONTACT", length = 10000)
  public String contact;

  @Column(name = "TAX_RATE", precision = 9, scale = 6)
  public BigDecimal taxRate;

  @Column(name = "CURRENCY", nullable = false, length = 3)
  public String currency;
}
