package org.fieldops.store;

import java.math.BigDecimal;
import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;

/** A price-book entry: a labor rate, a part or a flat-rate task, keyed by kind and code. */
@Entity
@Table(name = "FO_PRICE")
public class PriceEntity {
  /** {@code KIND:CODE} */
  @Id
  @Column(name = "ID", length = 100)
  public String id;

  @Column(name = "KIND", nullable = false, length = 16)
  public String kind;

  @Column(name = "CODE", nullable = false, length = 64)
  public String code;

  @Column(name = "NAME", nullable = false, length = 200)
  public String name;

  @Column(name = "PRICE", nullable = false, precision = 19, scale = 4)
  public BigDecimal price;

  @Column(name = "CURRENCY", nullable = false, length = 3)
  public String currency;

  @Column(name = "ACTIVE", nullable = false)
  public boolean active;

  @Version
  @Column(name = "VERSION", nullable = false)
  public long version;

  @Column(name = "CREATED_AT", nullable = false)
  public Instant createdAt;

  @Column(name = "UPDATED_AT", nullable = false)
  public Instant updatedAt;

  @Column(name = "UPDATED_BY", nullable = false, length = 200)
  public String updatedBy;

  public static String id(String kind, String code) {
    return kind + ":" + code;
  }
}
