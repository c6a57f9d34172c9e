package org.fieldops.client.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Photos and signatures kept on the device until the server has them: one file per image, named by
 * its SHA-256, written to a temporary file, fsynced and renamed, so a file that exists is whole.
 * Thread-safe (files are immutable once renamed).
 */
final class MediaStore {
  private final Path dir;

  MediaStore(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  /** Stores the image (if not already there) and returns its hash; durable when it returns. */
  String store(byte[] image) throws IOException {
    contentType(image); // refuses what the server would refuse
    String sha = sha256(image);
    Path target = dir.resolve(sha);
    if (Files.exists(target)) {
      return sha;
    }
    Path tmp = Files.createTempFile(dir, sha, ".tmp");
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(image);
      while (b.hasRemaining()) {
        c.write(b);
      }
      c.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Journal.syncDirectory(dir);
    return sha;
  }

  /** The image's bytes, if kept here and intact. */
  Optional<byte[]> read(String sha) throws IOException {
    try {
      byte[] bytes = Files.readAllBytes(dir.resolve(sha));
      return sha256(bytes).equals(sha) ? Optional.of(bytes) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  boolean has(String sha) {
    return Files.isRegularFile(dir.resolve(sha));
  }

  /** Removes an image no change needs any more. */
  void delete(String sha) throws IOException {
    Files.deleteIfExists(dir.resolve(sha));
  }

  /** Removes temporary files of writes a crash interrupted. */
  void cleanUp() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().endsWith(".tmp")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The image type the server will see in these bytes: JPEG, PNG or WebP. */
  static String contentType(byte[] b) {
    if (b.length >= 8
        && (b[0] & 0xff) == 0x89
        && b[1] == 'P'
        && b[2] == 'N'
        && b[3] == 'G'
        && b[4] == 0x0d
        && b[5] == 0x0a
        && b[6] == 0x1a
        && b[7] == 0x0a) {
      return "image/png";
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return "image/jpeg";
    }
    if (b.length >= 12
        && b[0] == 'R'
        && b[1] == 'I'
        && b[2] == 'F'
        && b[3] == 'F'
        && b[8] == 'W'
        && b[9] == 'E'
        && b[10] == 'B'
        && b[11] == 'P') {
      return "image/webp";
    }
    throw new IllegalArgumentException("not a JPEG, PNG or WebP image");
  }
}
