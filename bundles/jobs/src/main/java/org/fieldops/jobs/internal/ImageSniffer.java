package org.fieldops.jobs.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Decides an upload's type from its first bytes, never from what the client declares. Only the
 * allowlisted image types are known; anything else (executables, HTML, SVG, …) is of no type.
 */
final class ImageSniffer {
  static final String JPEG = "image/jpeg";
  static final String PNG = "image/png";
  static final String WEBP = "image/webp";
  static final Set<String> ALLOWED = Set.of(JPEG, PNG, WEBP);

  /** How many leading bytes {@link #typeOf} looks at. */
  static final int HEAD = 16;

  /** PNG signature followed by the length and type of the IHDR chunk, which must come first. */
  private static final byte[] PNG_HEAD = {
    (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'
  };

  private ImageSniffer() {}

  /** The allowlisted type of content that starts with {@code head[0..length)}, if any. */
  static Optional<String> typeOf(byte[] head, int length) {
    if (length >= 4
        && (head[0] & 0xFF) == 0xFF
        && (head[1] & 0xFF) == 0xD8
        && (head[2] & 0xFF) == 0xFF) {
      return Optional.of(JPEG);
    }
    if (length >= PNG_HEAD.length
        && Arrays.equals(head, 0, PNG_HEAD.length, PNG_HEAD, 0, PNG_HEAD.length)) {
      return Optional.of(PNG);
    }
    if (length >= 16
        && ascii(head, 0, "RIFF")
        && ascii(head, 8, "WEBP")
        && (ascii(head, 12, "VP8 ") || ascii(head, 12, "VP8L") || ascii(head, 12, "VP8X"))) {
      return Optional.of(WEBP);
    }
    return Optional.empty();
  }

  private static boolean ascii(byte[] bytes, int at, String expected) {
    byte[] e = expected.getBytes(StandardCharsets.US_ASCII);
    return Arrays.equals(bytes, at, at + e.length, e, 0, e.length);
  }
}
