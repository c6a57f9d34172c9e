package org.fieldops.store;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A gapless counter (read and incremented under a row lock). */
@Entity
@Table(name = "FO_COUNTER")
public class CounterEntity {
  @Id
  @Column(name = "NAME", length = 64)
  public String name;

  @Column(name = "NEXT_NO", nullable = false)
  public long next;
}
