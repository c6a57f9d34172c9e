package org.fieldops.api.media;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One stored media, as clients see it.
 *
 * @param sha256 the SHA-256 of the bytes, 64 lower-case hex digits; the media's identity
 * @param contentType the type decided from the bytes: {@code image/jpeg}, {@code image/png} or
 *     {@code image/webp}
 * @param size the number of bytes
 * @param uploadedAt when the bytes were first stored
 */
public record MediaInfo(String sha256, String contentType, long size, Instant uploadedAt) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public MediaInfo {
    if (!isSha256(sha256)) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
    }
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(uploadedAt, "uploadedAt");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }

  /** True for 64 lower-case hex digits, the only form of a media's hash the platform accepts. */
  public static boolean isSha256(String s) {
    return s != null && SHA256.matcher(s).matches();
  }
}
