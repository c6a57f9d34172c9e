package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** One stored media file, by the SHA-256 of its bytes. */
@Entity
@Table(name = "FO_MEDIA")
public class MediaEntity {
  @Id
  @Column(name = "SHA256", length = 64)
  public String sha256;

  @Column(name = "CONTENT_TYPE", nullable = false, length = 100)
  public String contentType;

  @Column(name = "SIZE_BYTES", nullable = false)
  public long sizeBytes;

  /** The file's generated name, relative to the media directory. */
  @Column(name = "STORED_NAME", nullable = false, length = 200)
  public String storedName;

  @Column(name = "UPLOADED_AT", nullable = false)
  public Instant uploadedAt;

  /** The newest upload of these bytes by anyone; unreferenced media ages from here. */
  @Column(name = "LAST_UPLOADED_AT", nullable = false)
  public Instant lastUploadedAt;
}
