package org.fieldops.api.media;

import java.io.InputStream;
import org.fieldops.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The content-addressed media store: photos and signatures uploaded by technicians' devices (and
 * the office), addressed by the SHA-256 of their bytes. Bytes are kept in files, never held in
 * memory as a whole; their type is decided from the bytes against an allowlist ({@code image/jpeg},
 * {@code image/png}, {@code image/webp}). The same bytes uploaded twice are stored once.
 *
 * <p>Who may read a media: admin, dispatchers and finance may read any; a technician may read what
 * they uploaded and what a job currently assigned to them references. Media that no job references
 * is removed some time after its last upload (configured; 30 days by default).
 *
 * <p>Called by the REST layer and, for {@link #reference}, by the platform when it applies a job
 * fact that names a media. Thread-safe; concurrent uploads of the same bytes end with one stored
 * copy.
 */
@ProviderType
public interface MediaService {

  /** The largest body {@link #store} accepts, in bytes (from configuration). */
  long maxBytes();

  /**
   * Stores {@code body} under its hash, reading it once as a stream; the caller closes it.
   *
   * @param sha256 the hash the client says the body has: 64 lower-case hex digits
   * @param declaredType the type the client declared ({@code Content-Type}, without parameters)
   * @param body the bytes
   * @param caller the uploader; recorded, so that they may read the media
   * @return the media, and whether this call stored it
   * @throws org.fieldops.api.ValidationException on field {@code sha256} if it is malformed or not
   *     the SHA-256 of the body
   * @throws org.fieldops.api.UnsupportedMediaException if the bytes are of no accepted type, or not
   *     of the declared one
   * @throws org.fieldops.api.MediaTooLargeException if the body is longer than {@link #maxBytes()}
   *     (reading stops there)
   * @throws java.io.UncheckedIOException if the body cannot be read or the file not written
   */
  StoredMedia store(String sha256, String declaredType, InputStream body, Caller caller);

  /**
   * The media with this hash, if the caller may read it.
   *
   * @throws org.fieldops.api.NotFoundException if there is none, or the caller may not read it (the
   *     same answer, so existence does not leak)
   * @throws org.fieldops.api.ValidationException on field {@code sha256} if it is malformed
   */
  MediaContent open(String sha256, Caller caller);

  /**
   * Records that a job uses a media (a photo, a signature, a checklist photo answer), so that it is
   * kept and the job's technicians may read it. Idempotent.
   *
   * @param kind what the job uses it as, e.g. {@code photo}, {@code signature}, {@code checklist}
   *     (1 to 32 of {@code a-z 0-9 . _ -})
   * @throws org.fieldops.api.NotFoundException if the media or the job does not exist
   * @throws org.fieldops.api.ValidationException if an argument is malformed
   */
  void reference(String sha256, String jobId, String kind);

  /**
   * Like {@link #reference(String, String, String)}, also recording a caption (or a signer's name)
   * and who added it. A second call for the same media, job and kind keeps the first caption.
   */
  void reference(String sha256, String jobId, String kind, String caption, String addedBy);

  /**
   * Removes media that no job references and that nobody uploaded for longer than the configured
   * age: the record first, then the file. Runs daily on its own; safe to run on several nodes at
   * once.
   *
   * @return how many media were removed
   */
  int purgeUnreferenced();
}
