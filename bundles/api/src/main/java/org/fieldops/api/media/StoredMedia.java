package org.fieldops.api.media;

import java.util.Objects;

/**
 * The outcome of an upload.
 *
 * @param info the stored media
 * @param created true if this upload stored the bytes; false if they were stored already (by this
 *     caller or another), in which case nothing but the caller's right to read them was recorded
 */
public record StoredMedia(MediaInfo info, boolean created) {
  public StoredMedia {
    Objects.requireNonNull(info, "info");
  }
}
