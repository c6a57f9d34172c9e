package org.fieldops.store;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Table;

@Entity
@Table(name = "FO_TECHNICIAN")
public class TechnicianEntity extends RecordEntity {
  @Column(name = "NAME", nullable = false, length = 200)
  public String name;

  /** Linked login; unique where set. */
  @Column(name = "USERNAME", length = 64)
  public String username;

  /** Skill tags, comma-separated (tags cannot contain commas). */
  @Column(name = "SKILLS", length = 2000)
  public String skills;

  @Column(name = "ACTIVE", nullable = false)
  public boolean active;
}
