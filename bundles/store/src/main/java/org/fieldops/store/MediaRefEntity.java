package org.fieldops.store;

import java.io.Serializable;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/**
 * A job's use of a media (photo, signature, checklist answer); keeps the media from being purged.
 */
@Entity
@Table(name = "FO_MEDIA_REF")
@IdClass(MediaRefEntity.Key.class)
public class MediaRefEntity {
  @Id
  @Column(name = "SHA256", length = 64)
  public String sha256;

  @Id
  @Column(name = "JOB_ID", length = 36)
  public String jobId;

  @Id
  @Column(name = "KIND", length = 32)
  public String kind;

  /** The photo's caption or the signer's name. */
  @Column(name = "CAPTION", length = 10000)
  public String caption;

  @Column(name = "ADDED_BY", length = 200)
  public String addedBy;

  @Column(name = "ADDED_AT")
  public java.time.Instant addedAt;

  public MediaRefEntity() {}

  public MediaRefEntity(String sha256, String jobId, String kind) {
    this.sha256 = sha256;
    this.jobId = jobId;
    this.kind = kind;
  }

  /** The composite key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String sha256;
    public String jobId;
    public String kind;

    public Key() {}

    public Key(String sha256, String jobId, String kind) {
      this.sha256 = sha256;
      this.jobId = jobId;
      this.kind = kind;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(sha256, k.sha256)
          && Objects.equals(jobId, k.jobId)
          && Objects.equals(kind, k.kind);
    }

    @Override
    public int hashCode() {
      return Objects.hash(sha256, jobId, kind);
    }
  }
}
