package org.fieldops.client.internal;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only file of records, each on disk (fsynced) before {@link #append} returns.
 *
 * <p>Layout: the 8-byte header {@code FOJRNL01}, then frames {@code [length: int32][crc32c:
 * int32][payload: length bytes]}, big-endian, the CRC-32C taken over the four length bytes and the
 * payload. Appends write whole frames at the end and then {@link FileChannel#force}; a crash can
 * therefore leave only the last frame incomplete. {@link #open} reads every valid frame and cuts
 * the file at the first invalid one: a torn last frame silently (it was never acknowledged), any
 * other damage after copying the cut bytes to {@code <file>.discarded-<millis>} and reporting it in
 * {@link Recovery}.
 *
 * <p>{@link #rewrite} (compaction) writes a new file beside the old one, fsyncs it, and renames it
 * over the old one atomically: a crash leaves either the old or the new journal, never a mix.
 *
 * <p>Not thread-safe: its owner serialises calls.
 */
final class Journal implements Closeable {
  private static final System.Logger LOG = System.getLogger(Journal.class.getName());
  static final byte[] HEADER = "FOJRNL01".getBytes(StandardCharsets.US_ASCII);
  static final int MAX_RECORD = 16 * 1024 * 1024;

  /** What {@link #open} found. */
  record Recovery(int records, long validBytes, long tornBytes, long discardedBytes, Path copy) {
    boolean clean() {
      return tornBytes == 0 && discardedBytes == 0;
    }
  }

  /** An opened journal with its records. */
  record Opened(Journal journal, List<byte[]> records, Recovery recovery) {}

  private final Path file;
  private FileChannel channel;
  private long size;
  private long records;
  private boolean dirty;

  private Journal(Path file, FileChannel channel, long size, long records) {
    this.file = file;
    this.channel = channel;
    this.size = size;
    this.records = records;
  }

  /** Opens (or creates) the journal, recovering from a torn or damaged tail. */
  static Opened open(Path file) throws IOException {
    Files.deleteIfExists(tmp(file)); // a compaction that did not finish: the old file is intact
    if (!Files.exists(file)) {
      writeFile(file, List.of());
    }
    byte[] all = Files.readAllBytes(file);
    if (all.length < HEADER.length) {
      // created, then killed before the header was on disk: nothing was ever acknowledged
      writeFile(file, List.of());
      all = HEADER.clone();
    } else if (!Arrays.equals(all, 0, HEADER.length, HEADER, 0, HEADER.length)) {
      throw new IOException(file + " is not a FieldOps client journal");
    }
    List<byte[]> out = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.wrap(all);
    int pos = HEADER.length;
    String problem = null;
    boolean tornTail = false;
    while (pos < all.length) {
      if (all.length - pos < 8) {
        problem = "incomplete frame header";
        tornTail = true;
        break;
      }
      int length = buf.getInt(pos);
      int crc = buf.getInt(pos + 4);
      if (length < 0 || length > MAX_RECORD) {
        problem = "invalid length " + length;
        break;
      }
      long end = (long) pos + 8 + length;
      if (end > all.length) {
        problem = "frame of " + length + " bytes cut short";
        tornTail = true;
        break;
      }
      CRC32C c = new CRC32C();
      c.update(all, pos, 4);
      c.update(all, pos + 8, length);
      if ((int) c.getValue() != crc) {
        problem = "CRC mismatch";
        tornTail = end == all.length; // the last frame, written but not completely on disk
        break;
      }
      out.add(Arrays.copyOfRange(all, pos + 8, (int) end));
      pos = (int) end;
    }
    long cut = all.length - pos;
    if (cut > 0 && !tornTail && zeros(all, pos)) {
      tornTail = true; // the file grew, its last blocks never reached the disk
    }
    Path copy = null;
    if (cut > 0) {
      if (!tornTail) {
        copy = file.resolveSibling(file.getFileName() + ".discarded-" + System.currentTimeMillis());
        try (FileChannel c =
            FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          c.write(ByteBuffer.wrap(all, pos, (int) cut));
          c.force(true);
        }
        LOG.log(
            Level.WARNING,
            "journal {0}: {1} at byte {2}; {3} bytes after it ({4} valid records kept) copied to {5}"
                + " and cut",
            file,
            problem,
            pos,
            cut,
            out.size(),
            copy);
      } else {
        LOG.log(
            Level.INFO,
            "journal {0}: torn last record ({1}, {2} bytes) dropped: it was never acknowledged",
            file,
            problem,
            cut);
      }
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (cut > 0) {
      channel.truncate(pos);
      channel.force(true);
    }
    Recovery recovery = new Recovery(out.size(), pos, tornTail ? cut : 0, tornTail ? 0 : cut, copy);
    return new Opened(new Journal(file, channel, pos, out.size()), out, recovery);
  }

  /** Appends the records as one write and forces them to disk before returning. */
  void append(List<byte[]> payloads) throws IOException {
    if (payloads.isEmpty()) {
      return;
    }
    ByteBuffer frames = frames(payloads);
    try {
      if (dirty) {
        channel.truncate(size); // the remains of a failed append
        dirty = false;
      }
      long at = size;
      while (frames.hasRemaining()) {
        at += channel.write(frames, at);
      }
      channel.force(false);
      size = at;
      records += payloads.size();
    } catch (IOException e) {
      dirty = true;
      throw e;
    }
  }

  /** Replaces the whole journal by these records, atomically (compaction). */
  void rewrite(List<byte[]> payloads) throws IOException {
    Path tmp = tmp(file);
    writeFile(tmp, payloads);
    channel.close();
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(file.toAbsolutePath().getParent());
    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    size = channel.size();
    records = payloads.size();
    dirty = false;
  }

  long size() {
    return size;
  }

  long records() {
    return records;
  }

  Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static boolean zeros(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static Path tmp(Path file) {
    return file.resolveSibling(file.getFileName() + ".tmp");
  }

  private static void writeFile(Path target, List<byte[]> payloads) throws IOException {
    try (FileChannel c =
        FileChannel.open(
            target,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer head = ByteBuffer.wrap(HEADER);
      while (head.hasRemaining()) {
        c.write(head);
      }
      ByteBuffer frames = frames(payloads);
      while (frames.hasRemaining()) {
        c.write(frames);
      }
      c.force(true);
    }
    syncDirectory(target.toAbsolutePath().getParent());
  }

  private static ByteBuffer frames(List<byte[]> payloads) {
    int total = 0;
    for (byte[] p : payloads) {
      if (p.length > MAX_RECORD) {
        throw new IllegalArgumentException("record of " + p.length + " bytes, max " + MAX_RECORD);
      }
      total += 8 + p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(total);
    for (byte[] p : payloads) {
      CRC32C c = new CRC32C();
      byte[] len = ByteBuffer.allocate(4).putInt(p.length).array();
      c.update(len);
      c.update(p);
      b.put(len).putInt((int) c.getValue()).put(p);
    }
    return b.flip();
  }

  /** Makes a file's creation or rename durable (Linux, Android); a no-op where unsupported. */
  static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      // e.g. Windows cannot open a directory: the rename is still atomic there
    }
  }
}
