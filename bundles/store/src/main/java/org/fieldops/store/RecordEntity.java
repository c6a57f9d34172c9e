package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Id;
import javax.persistence.MappedSuperclass;
import javax.persistence.Version;

/** Columns every versioned record has: id, optimistic-lock version, who and when. */
@MappedSuperclass
public abstract class RecordEntity {
  @Id
  @Column(name = "ID", length = 36)
  private String id;

  @Version
  @Column(name = "VERSION", nullable = false)
  private long version;

  @Column(name = "CREATED_AT", nullable = false)
  private Instant createdAt;

  @Column(name = "CREATED_BY", nullable = false, length = 200)
  private String createdBy;

  @Column(name = "UPDATED_AT", nullable = false)
  private Instant updatedAt;

  @Column(name = "UPDATED_BY", nullable = false, length = 200)
  private String updatedBy;

  /** Sets a new id and the creation stamp; call before persisting. */
  public void stampCreated(String by, Instant at) {
    this.id = Ids.next();
    this.createdAt = at;
    this.createdBy = by;
    this.updatedAt = at;
    this.updatedBy = by;
  }

  public void stampUpdated(String by, Instant at) {
    this.updatedAt = at;
    this.updatedBy = by;
  }

  public String getId() {
    return id;
  }

  public long getVersion() {
    return version;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public String getCreatedBy() {
    return createdBy;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  public String getUpdatedBy() {
    return updatedBy;
  }
}
