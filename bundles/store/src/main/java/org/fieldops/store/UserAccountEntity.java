package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;

/** A login account. The password is stored only as a salted slow hash. */
@Entity
@Table(name = "FO_USER")
public class UserAccountEntity {
  @Id
  @Column(name = "USERNAME", length = 64)
  public String username;

  @Column(name = "PASSWORD_HASH", nullable = false, length = 200)
  public String passwordHash;

  /** Role ids, comma-separated, sorted. */
  @Column(name = "ROLES", nullable = false, length = 200)
  public String roles;

  @Column(name = "DISABLED", nullable = false)
  public boolean disabled;

  @Version
  @Column(name = "VERSION", nullable = false)
  public long version;

  @Column(name = "CREATED_AT", nullable = false)
  public Instant createdAt;

  @Column(name = "UPDATED_AT", nullable = false)
  public Instant updatedAt;

  @Column(name = "UPDATED_BY", nullable = false, length = 200)
  public String updatedBy;
}
