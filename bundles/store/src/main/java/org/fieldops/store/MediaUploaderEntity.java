package org.fieldops.store;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** A user who uploaded a media (and so may read it). */
@Entity
@Table(name = "FO_MEDIA_UPLOADER")
@IdClass(MediaUploaderEntity.Key.class)
public class MediaUploaderEntity {
  @Id
  @Column(name = "SHA256", length = 64)
  public String sha256;

  @Id
  @Column(name = "USERNAME", length = 64)
  public String username;

  /** Their first upload of it. */
  @Column(name = "UPLOADED_AT", nullable = false)
  public Instant uploadedAt;

  public MediaUploaderEntity() {}

  public MediaUploaderEntity(String sha256, String username, Instant uploadedAt) {
    this.sha256 = sha256;
    this.username = username;
    this.uploadedAt = uploadedAt;
  }

  /** The composite key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String sha256;
    public String username;

    public Key() {}

    public Key(String sha256, String username) {
      this.sha256 = sha256;
      this.username = username;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(sha256, k.sha256)
          && Objects.equals(username, k.username);
    }

    @Override
    public int hashCode() {
      return Objects.hash(sha256, username);
    }
  }
}
