package org.fieldops.jobs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.fieldops.api.MediaTooLargeException;
import org.fieldops.api.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media files: uploads are streamed into {@code tmp/} under the media directory while they are
 * hashed and counted, then moved atomically to a generated name in two levels of sub-folders
 * ({@code 3f/a2/3fa2…}), never to a name a client chose. Holds no state besides the directory.
 */
final class MediaFiles {
  private static final Logger LOG = LoggerFactory.getLogger(MediaFiles.class);
  private static final String PART = ".part";

  /** A body written to a temporary file. */
  record Received(Path temp, String sha256, long size) {}

  private final Path root;
  private final Path tmp;

  MediaFiles(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.tmp = this.root.resolve("tmp");
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      // not fatal here: the rest of the API keeps working, and each upload tries again
      LOG.warn("Cannot create the media directory {}: {}", tmp, e.toString());
    }
  }

  Path root() {
    return root;
  }

  /**
   * Writes {@code head[0..headLength)} and then the rest of {@code body} to a new temporary file,
   * computing the SHA-256 and counting; the file is synced before this returns. On any failure the
   * file is deleted.
   *
   * @throws MediaTooLargeException as soon as more than {@code maxBytes} bytes were read
   * @throws ValidationException on {@code body} if the body cannot be read to its end (the client
   *     went away or sent less than it announced)
   * @throws UncheckedIOException if the file cannot be written
   */
  Received receive(byte[] head, int headLength, InputStream body, long maxBytes) {
    Path temp = tmp.resolve("upload-" + UUID.randomUUID() + PART);
    MessageDigest sha256 = sha256();
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the media directory " + tmp, e);
    }
    try (FileChannel out =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long size = 0;
      byte[] buffer = head;
      int n = headLength;
      while (n != -1) {
        size += n;
        if (size > maxBytes) {
          throw new MediaTooLargeException(maxBytes);
        }
        sha256.update(buffer, 0, n);
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
        if (buffer == head) {
          buffer = new byte[64 * 1024];
        }
        n = read(body, buffer);
      }
      out.force(true);
      return new Received(temp, HexFormat.of().formatHex(sha256.digest()), size);
    } catch (IOException e) {
      discard(temp);
      throw new UncheckedIOException("cannot write the media file " + temp, e);
    } catch (RuntimeException | Error e) {
      discard(temp);
      throw e;
    }
  }

  /** Reads until {@code buffer} is full or the body ends; returns how many bytes were read. */
  static int readFully(InputStream body, byte[] buffer) {
    int n = 0;
    while (n < buffer.length) {
      int r;
      try {
        r = body.read(buffer, n, buffer.length - n);
      } catch (IOException e) {
        throw ValidationException.of("body", "could not be read to its end: " + e.getMessage());
      }
      if (r == -1) {
        break;
      }
      n += r;
    }
    return n;
  }

  /** Reads up to {@code buffer.length} bytes (at least one unless at the end), or -1 at the end. */
  static int read(InputStream body, byte[] buffer) {
    try {
      return body.read(buffer);
    } catch (IOException e) {
      throw ValidationException.of("body", "could not be read to its end: " + e.getMessage());
    }
  }

  /**
   * Moves a received temporary file to a new generated name and returns that name (relative to the
   * media directory). The temporary file is deleted if the move fails.
   */
  String keep(Path temp) {
    String name = UUID.randomUUID().toString();
    String stored = name.substring(0, 2) + "/" + name.substring(2, 4) + "/" + name;
    Path target = root.resolve(stored);
    try {
      Files.createDirectories(target.getParent());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return stored;
    } catch (IOException e) {
      discard(temp);
      throw new UncheckedIOException("cannot store the media file " + target, e);
    }
  }

  /** The file of a stored name (which must lie under the media directory). */
  Path resolve(String stored) {
    Path file = root.resolve(stored).normalize();
    if (!file.startsWith(root) || file.startsWith(tmp)) {
      throw new IllegalStateException("stored media name outside the media directory: " + stored);
    }
    return file;
  }

  /** Deletes a stored file; true if it was there. Failures are logged, not thrown. */
  boolean delete(String stored) {
    try {
      return Files.deleteIfExists(resolve(stored));
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not delete media file {}: {}", stored, e.toString());
      return false;
    }
  }

  /** Deletes a temporary file, quietly. */
  void discard(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      LOG.warn("Could not delete temporary media file {}: {}", temp, e.toString());
    }
  }

  /**
   * Deletes temporary files last written before {@code before} (left by a crash); returns how many.
   */
  int sweepTemporary(Instant before) {
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp, "*" + PART)) {
      for (Path file : files) {
        try {
          if (Files.getLastModifiedTime(file).toInstant().isBefore(before)
              && Files.deleteIfExists(file)) {
            deleted++;
          }
        } catch (IOException e) {
          LOG.debug("Could not sweep {}: {}", file, e.toString());
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not sweep temporary media files in {}: {}", tmp, e.toString());
    }
    return deleted;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
