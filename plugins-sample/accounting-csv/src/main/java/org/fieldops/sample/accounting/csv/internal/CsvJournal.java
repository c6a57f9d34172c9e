package org.fieldops.sample.accounting.csv.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * The dated journals in one folder: {@code journal-YYYY-MM-DD.csv}, one per day of delivery, each
 * with one header and the rows of the invoices and voids delivered that day.
 *
 * <p><b>Once per key.</b> Before writing, every journal in the folder is searched for the key (the
 * parsed keys are cached per file and re-read when a file changes); a key already there is not
 * written again. Journals moved out of the folder no longer count.
 *
 * <p><b>Atomic.</b> A day's journal is rewritten whole into a temporary file in the same folder,
 * forced to disk, then moved over the journal with an atomic rename: a reader (or a crash) sees the
 * journal before or after an invoice, never half of it.
 *
 * <p><b>Thread-safe.</b> One writer at a time: a lock in this JVM, and an OS file lock on {@code
 * .journal.lock} in the folder for other processes (several nodes sharing the folder).
 */
final class CsvJournal {
  static final String PREFIX = "journal-";
  static final String SUFFIX = ".csv";
  private static final String TEMP_PREFIX = ".journal-";
  private static final String TEMP_SUFFIX = ".tmp";
  private static final String LOCK_FILE = ".journal.lock";
  private static final String HEADER = Csv.record(JournalRows.HEADER);

  /** Where a key is, and whether this call wrote it. */
  record Outcome(boolean written, Path file) {}

  /** A journal that cannot be read or appended to as it is: a person has to look at it. */
  static final class UnusableJournalException extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableJournalException(String message) {
      super(message);
    }
  }

  private record FileKeys(Object fileKey, long modified, long size, Set<String> keys) {}

  private final Clock clock;
  private final long lockWaitMillis;
  private final ReentrantLock lock = new ReentrantLock();
  // guarded by lock
  private final Map<Path, FileKeys> index = new HashMap<>();
  private volatile Path folder;
  private volatile ZoneId zone;

  CsvJournal(Path folder, ZoneId zone, Clock clock, long lockWaitMillis) {
    this.folder = Objects.requireNonNull(folder, "folder");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.clock = clock;
    this.lockWaitMillis = lockWaitMillis;
  }

  Path folder() {
    return folder;
  }

  /** A new folder or zone, for the next write; a write in progress finishes with the old ones. */
  void configure(Path newFolder, ZoneId newZone) throws InterruptedException {
    if (!lock.tryLock(lockWaitMillis, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the journal is busy");
    }
    try {
      folder = Objects.requireNonNull(newFolder, "folder");
      zone = Objects.requireNonNull(newZone, "zone");
      index.clear();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes the rows under {@code key} unless the key is in a journal already.
   *
   * @param rows the rows for the zone of the journal and the time of writing
   */
  Outcome append(String key, BiFunction<ZoneId, Instant, List<List<String>>> rows)
      throws IOException, InterruptedException, UnusableJournalException {
    if (!lock.tryLock(lockWaitMillis, TimeUnit.MILLISECONDS)) {
      throw new IOException("the journal stayed busy for " + lockWaitMillis + " ms");
    }
    try {
      Path dir = folder;
      Files.createDirectories(dir);
      try (FileChannel lockChannel =
          FileChannel.open(
              dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        lockChannel.lock(); // held until the channel is closed
        deleteStaleTemporaryFiles(dir);
        Path existing = find(dir, key);
        if (existing != null) {
          return new Outcome(false, existing);
        }
        Instant now = clock.instant();
        ZoneId z = zone;
        Path file = dir.resolve(PREFIX + LocalDate.ofInstant(now, z) + SUFFIX);
        StringBuilder text = new StringBuilder();
        if (Files.exists(file)) {
          String current = Files.readString(file, StandardCharsets.UTF_8);
          if (!current.startsWith(HEADER)) {
            throw new UnusableJournalException(
                file.getFileName() + " does not start with the expected header; move it away");
          }
          text.append(current);
          if (!current.endsWith(Csv.CRLF)) {
            text.append(Csv.CRLF);
          }
        } else {
          text.append(HEADER);
        }
        for (List<String> row : rows.apply(z, now)) {
          if (!key.equals(row.get(JournalRows.KEY_COLUMN))) {
            throw new IllegalArgumentException("a row of " + key + " has another key");
          }
          text.append(Csv.record(row));
        }
        replaceAtomically(file, text.toString());
        remember(file, key);
        return new Outcome(true, file);
      } catch (OverlappingFileLockException e) {
        throw new IOException("another journal writer in this JVM holds " + LOCK_FILE, e);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The journal that holds the key, or {@code null}. */
  private Path find(Path dir, String key) throws IOException, UnusableJournalException {
    Set<Path> present = new HashSet<>();
    Path found = null;
    try (DirectoryStream<Path> journals = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path file : journals) {
        present.add(file);
        if (found == null && keysOf(file).contains(key)) {
          found = file;
        }
      }
    }
    index.keySet().retainAll(present);
    return found;
  }

  private Set<String> keysOf(Path file) throws IOException, UnusableJournalException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    FileKeys cached = index.get(file);
    long modified = a.lastModifiedTime().toMillis();
    if (cached != null
        && Objects.equals(cached.fileKey(), a.fileKey())
        && cached.modified() == modified
        && cached.size() == a.size()) {
      return cached.keys();
    }
    Set<String> keys = new HashSet<>();
    List<List<String>> records;
    try {
      records = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new UnusableJournalException(
          file.getFileName() + " is not valid CSV: " + e.getMessage());
    }
    int column = records.isEmpty() ? -1 : records.get(0).indexOf("key");
    if (column < 0) {
      throw new UnusableJournalException(file.getFileName() + " has no 'key' column");
    }
    for (List<String> r : records.subList(1, records.size())) {
      if (column < r.size() && !r.get(column).isEmpty()) {
        keys.add(r.get(column));
      }
    }
    index.put(file, new FileKeys(a.fileKey(), modified, a.size(), keys));
    return keys;
  }

  /** Adds the key to the cached keys of the file just written, so it is not parsed again. */
  private void remember(Path file, String key) throws IOException {
    FileKeys before = index.get(file);
    Set<String> keys = new HashSet<>(before == null ? Set.of() : before.keys());
    keys.add(key);
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    index.put(file, new FileKeys(a.fileKey(), a.lastModifiedTime().toMillis(), a.size(), keys));
  }

  private static void replaceAtomically(Path file, String text) throws IOException {
    Path temp =
        file.resolveSibling(
            TEMP_PREFIX + UUID.randomUUID() + "-" + file.getFileName() + TEMP_SUFFIX);
    try {
      try (FileChannel out =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Left by a crash in the middle of a write; only called while holding the process lock. */
  private static void deleteStaleTemporaryFiles(Path dir) throws IOException {
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> temps =
        Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
      temps.forEach(stale::add);
    }
    for (Path p : stale) {
      Files.deleteIfExists(p);
    }
  }
}
