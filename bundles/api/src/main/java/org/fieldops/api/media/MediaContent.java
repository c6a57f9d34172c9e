package org.fieldops.api.media;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A media the caller may read: its description and a way to read its bytes.
 *
 * @param info the media
 * @param source opens the bytes; each call opens a new stream
 */
public record MediaContent(MediaInfo info, Source source) {
  public MediaContent {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(source, "source");
  }

  /** Opens a stream of the bytes. */
  @FunctionalInterface
  public interface Source {
    /**
     * A new stream of exactly {@link MediaInfo#size()} bytes; the caller closes it.
     *
     * @throws org.fieldops.api.NotFoundException if the media was removed since it was found
     * @throws IOException if the bytes cannot be read
     */
    InputStream open() throws IOException;
  }

  /** Shorthand for {@code source().open()}. */
  public InputStream openStream() throws IOException {
    return source.open();
  }
}
