package org.fieldops.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import org.fieldops.client.Change;
import org.fieldops.client.ClientListener;
import org.fieldops.client.FieldClient;
import org.fieldops.client.Packet;
import org.fieldops.client.PacketJob;
import org.fieldops.client.SyncError;
import org.fieldops.client.SyncException;
import org.fieldops.client.SyncResult;
import org.fieldops.client.SyncState;
import org.fieldops.client.Transport;

/**
 * The {@link FieldClient}: a store folder ({@code journal}, {@code media/}, {@code packet.json},
 * {@code lock}), a transport, one sync at a time under {@link #syncLock}.
 */
public final class DefaultFieldClient implements FieldClient {
  private static final System.Logger LOG = System.getLogger("org.fieldops.client");

  /** What {@link FieldClient.Builder} collected. */
  public record Settings(
      Transport transport,
      String deviceId,
      Path storage,
      int packetDays,
      int batchSize,
      Duration retryInitial,
      Duration retryCap,
      Clock clock,
      Random random) {}

  private final Settings settings;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Outbox outbox;
  private final MediaStore media;
  private final PacketCache packets;
  private final ServerApi api;
  private final Listeners listeners = new Listeners();
  private final Uploader uploader;
  private final BackgroundSync background;
  private final ReentrantLock syncLock = new ReentrantLock();

  private volatile boolean syncing;
  private volatile Instant lastAttemptAt;
  private volatile SyncError lastError;
  private volatile boolean closed;

  private DefaultFieldClient(
      Settings settings, FileChannel lockChannel, FileLock lock, Outbox outbox) throws IOException {
    this.settings = settings;
    this.clock = settings.clock();
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.outbox = outbox;
    this.media = new MediaStore(settings.storage().resolve("media"));
    this.media.cleanUp();
    this.packets = new PacketCache(settings.storage().resolve("packet.json"));
    this.api = new ServerApi(settings.transport(), clock);
    this.uploader =
        new Uploader(
            settings.deviceId(),
            settings.batchSize(),
            outbox,
            media,
            api,
            listeners,
            clock,
            this::fireState);
    this.background =
        new BackgroundSync(
            this,
            new Backoff(
                settings.retryInitial(), settings.retryCap(), settings.random()::nextDouble),
            settings.retryCap(),
            settings.deviceId());
  }

  /** Opens the store (exclusively) and the client. */
  public static FieldClient open(Settings settings) throws IOException {
    Path dir = Files.createDirectories(settings.storage());
    FileChannel channel =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("the store " + dir + " is in use by another client");
    }
    try {
      Outbox outbox = Outbox.open(dir.resolve("journal"), settings.deviceId());
      Journal.Recovery r = outbox.recovery();
      if (!r.clean()) {
        LOG.log(
            Level.WARNING,
            "store {0} recovered: {1} records kept, {2} torn bytes dropped, {3} damaged bytes cut{4}",
            dir,
            r.records(),
            r.tornBytes(),
            r.discardedBytes(),
            r.copy() == null ? "" : " (copied to " + r.copy() + ")");
      }
      return new DefaultFieldClient(settings, channel, lock, outbox);
    } catch (IOException | RuntimeException e) {
      lock.release();
      channel.close();
      throw e;
    }
  }

  // ---- packet ----

  @Override
  public Optional<Packet> packet() {
    return packets.packet();
  }

  @Override
  public List<PacketJob> jobs() {
    return packets.packet().map(Packet::jobs).orElse(List.of());
  }

  @Override
  public Optional<PacketJob> job(String jobId) {
    return packets.packet().flatMap(p -> p.job(jobId));
  }

  @Override
  public List<Change> changes(String jobId) {
    return outbox.changes(jobId);
  }

  @Override
  public String localStatus(String jobId) {
    Optional<PacketJob> job = job(jobId);
    Change move = outbox.lastStatusMove(jobId);
    if (move != null) {
      long cached = job.map(PacketJob::version).orElse(0L);
      boolean newer =
          move.status() == Change.Status.PENDING
              || (move.status() == Change.Status.APPLIED
                  && move.jobVersion() != null
                  && move.jobVersion() > cached);
      if (newer) {
        try {
          return Json.parse(move.data().getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .path("to")
              .asText();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return job.map(PacketJob::status).orElse(null);
  }

  @Override
  public Packet refreshPacket() throws SyncException {
    return withSyncLock(() -> refresh(false).packet());
  }

  @Override
  public Packet downloadPacket() throws SyncException {
    return withSyncLock(() -> refresh(true).packet());
  }

  private interface SyncWork<T> {
    T run() throws SyncException;
  }

  private <T> T withSyncLock(SyncWork<T> work) throws SyncException {
    ensureOpen();
    syncLock.lock();
    try {
      try {
        return work.run();
      } catch (SyncException e) {
        failed(e.error());
        throw e;
      }
    } finally {
      syncLock.unlock();
    }
  }

  /** Delta or full packet; under the sync lock. */
  private PacketCache.Applied refresh(boolean full) throws SyncException {
    PacketCache.Applied applied =
        packets.refresh(api, settings.packetDays(), full, clock.instant());
    Packet p = applied.packet();
    listeners.each("packetChanged", l -> l.packetChanged(p));
    return applied;
  }

  // ---- recording ----

  @Override
  public Change recordStatus(String jobId, String to) throws IOException {
    return record(jobId, "status", Json.object().put("to", required(to, "to")), List.of());
  }

  @Override
  public Change recordChecklistAnswer(String jobId, String templateId, String itemId, Object answer)
      throws IOException {
    ObjectNode data = Json.object().put("templateId", required(templateId, "templateId"));
    data.put("itemId", required(itemId, "itemId"));
    data.set("answer", Json.MAPPER.valueToTree(answer));
    return record(jobId, "checklist", data, List.of());
  }

  @Override
  public Change recordChecklistPhoto(String jobId, String templateId, String itemId, byte[] image)
      throws IOException {
    String sha = media.store(Objects.requireNonNull(image, "image"));
    ObjectNode photo = Json.object().put("sha256", sha);
    photo.put("caption", "checklist " + templateId + "/" + itemId);
    ObjectNode answer = Json.object().put("templateId", required(templateId, "templateId"));
    answer.put("itemId", required(itemId, "itemId"));
    answer.putObject("answer").put("sha256", sha);
    List<QueuedEvent> added =
        add(
            List.of(
                draft(jobId, "photo", photo, List.of(sha)),
                draft(jobId, "checklist", answer, List.of(sha))));
    return added.get(1).toChange();
  }

  @Override
  public Change recordLabor(String jobId, Instant startedAt, Instant endedAt, String rateCode)
      throws IOException {
    ObjectNode data = Json.object().put("startedAt", startedAt.toString());
    data.put("endedAt", endedAt.toString());
    data.put("rateCode", required(rateCode, "rateCode"));
    return record(jobId, "labor", data, List.of());
  }

  @Override
  public Change recordPart(String jobId, String sku, BigDecimal quantity) throws IOException {
    ObjectNode data = Json.object().put("sku", required(sku, "sku"));
    data.put("quantity", quantity.toPlainString());
    return record(jobId, "part", data, List.of());
  }

  @Override
  public Change recordFlatRate(String jobId, String code, BigDecimal quantity) throws IOException {
    ObjectNode data = Json.object().put("code", required(code, "code"));
    data.put("quantity", quantity.toPlainString());
    return record(jobId, "flatRate", data, List.of());
  }

  @Override
  public Change recordNote(String jobId, String text) throws IOException {
    return record(jobId, "note", Json.object().put("text", required(text, "text")), List.of());
  }

  @Override
  public Change recordPhoto(String jobId, byte[] image, String caption) throws IOException {
    String sha = media.store(Objects.requireNonNull(image, "image"));
    ObjectNode data = Json.object().put("sha256", sha);
    if (caption != null) {
      data.put("caption", caption);
    }
    return record(jobId, "photo", data, List.of(sha));
  }

  @Override
  public Change recordSignature(String jobId, byte[] image, String signerName) throws IOException {
    String sha = media.store(Objects.requireNonNull(image, "image"));
    ObjectNode data = Json.object().put("sha256", sha);
    data.put("signerName", required(signerName, "signerName"));
    return record(jobId, "signature", data, List.of(sha));
  }

  @Override
  public Change recordFieldEdit(String jobId, String path, String base, String value)
      throws IOException {
    ObjectNode data = Json.object().put("path", required(path, "path"));
    data.put("base", base);
    data.put("value", value);
    return record(jobId, "field", data, List.of());
  }

  @Override
  public Change record(String jobId, String type, Map<String, ?> data, List<String> mediaHashes)
      throws IOException {
    JsonNode node = Json.MAPPER.valueToTree(Objects.requireNonNull(data, "data"));
    return record(jobId, required(type, "type"), (ObjectNode) node, mediaHashes);
  }

  @Override
  public String storeMedia(byte[] image) throws IOException {
    ensureOpen();
    return media.store(Objects.requireNonNull(image, "image"));
  }

  private Change record(String jobId, String type, ObjectNode data, List<String> mediaHashes)
      throws IOException {
    return add(List.of(draft(jobId, type, data, mediaHashes))).get(0).toChange();
  }

  private Outbox.Draft draft(String jobId, String type, ObjectNode data, List<String> mediaHashes) {
    required(jobId, "jobId");
    Long base = job(jobId).map(PacketJob::version).orElse(null);
    return new Outbox.Draft(
        jobId, type, data, clock.instant(), base, List.copyOf(mediaHashes), null, 0);
  }

  private List<QueuedEvent> add(List<Outbox.Draft> drafts) throws IOException {
    ensureOpen();
    List<QueuedEvent> added = outbox.add(drafts, clock.instant());
    fireState();
    background.changeRecorded();
    return added;
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  // ---- sync ----

  @Override
  public SyncResult syncNow() throws SyncException {
    ensureOpen();
    syncLock.lock();
    try {
      long t0 = System.nanoTime();
      syncing = true;
      lastAttemptAt = clock.instant();
      fireState();
      Uploader.Tally tally = new Uploader.Tally();
      String packetMode = "none";
      int changed = 0;
      int removed = 0;
      try {
        for (int round = 0; ; round++) {
          uploader.drain(tally);
          PacketCache.Applied applied = refresh(false);
          packetMode = applied.full() || "full".equals(packetMode) ? "full" : "delta";
          changed += applied.jobsChanged();
          removed += applied.jobsRemoved();
          if (uploader.requeueFixed(applied.packet(), tally) == 0 || round == 2) {
            break;
          }
        }
        uploader.refreshReviews();
        try {
          outbox.synced(clock.instant());
          if (outbox.worthCompacting()) {
            compact();
          }
        } catch (IOException e) {
          throw new SyncException(
              new SyncError(
                  SyncError.Kind.STORAGE,
                  0,
                  "the local store failed: " + e,
                  false,
                  null,
                  clock.instant()),
              e);
        }
        lastError = null;
      } catch (SyncException e) {
        failed(e.error());
        throw e;
      } finally {
        syncing = false;
        fireState();
      }
      return new SyncResult(
          tally.mediaUploaded,
          tally.batches,
          tally.eventsSent,
          tally.answered,
          tally.duplicates,
          tally.requeued,
          packetMode,
          changed,
          removed,
          Duration.ofNanos(System.nanoTime() - t0));
    } finally {
      syncLock.unlock();
    }
  }

  private void compact() throws IOException {
    long before = outbox.journalBytes();
    for (String sha : outbox.compact()) {
      media.delete(sha);
    }
    LOG.log(Level.DEBUG, "journal compacted: {0} -> {1} bytes", before, outbox.journalBytes());
  }

  private void failed(SyncError error) {
    lastError = error;
    listeners.each("syncFailed", l -> l.syncFailed(error));
  }

  @Override
  public SyncResult syncUntilDone(Duration maxWait) throws SyncException, InterruptedException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    Backoff backoff =
        new Backoff(settings.retryInitial(), settings.retryCap(), settings.random()::nextDouble);
    while (true) {
      try {
        return syncNow();
      } catch (SyncException e) {
        if (!e.error().retryable()) {
          throw e;
        }
        Duration wait = backoff.failure(e.error().retryAfterSeconds());
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw e;
        }
        LOG.log(
            Level.INFO, "sync failed ({0}); next try in {1} ms", e.getMessage(), wait.toMillis());
        Thread.sleep(Math.min(wait.toMillis(), Math.max(1, left / 1_000_000)));
      }
    }
  }

  @Override
  public void startBackgroundSync(Duration pollInterval) {
    ensureOpen();
    background.start(pollInterval);
  }

  @Override
  public void requestSync() {
    background.request();
  }

  // ---- state ----

  @Override
  public SyncState state() {
    Outbox.Snapshot s = outbox.snapshot();
    return new SyncState(
        settings.deviceId(),
        s.pending(),
        s.inReview(),
        s.rejected(),
        s.mediaToUpload(),
        s.lastSyncAt(),
        lastAttemptAt,
        lastError,
        syncing,
        s.totals(),
        packets.packet().map(Packet::refreshedAt).orElse(null));
  }

  @Override
  public Change retry(String opId) throws IOException {
    ensureOpen();
    QueuedEvent e = outbox.get(opId);
    if (e == null || e.status != Change.Status.REJECTED || !e.retryable) {
      throw new IllegalArgumentException("no retryable rejected change " + opId);
    }
    Change c = uploader.requeue(e, packets.packet().orElse(null)).toChange();
    fireState();
    background.changeRecorded();
    return c;
  }

  @Override
  public void dismiss(String opId) throws IOException {
    ensureOpen();
    outbox.dismiss(opId);
    fireState();
  }

  @Override
  public void addListener(ClientListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(ClientListener listener) {
    listeners.remove(listener);
  }

  private void fireState() {
    if (listeners.isEmpty()) {
      return;
    }
    SyncState s = state();
    listeners.each("stateChanged", l -> l.stateChanged(s));
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the client is closed");
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    background.stop();
    syncLock.lock(); // wait for a sync running on another thread
    try {
      List<IOException> failures = new ArrayList<>();
      for (AutoCloseableIo c :
          new AutoCloseableIo[] {outbox::close, lock::release, lockChannel::close}) {
        try {
          c.close();
        } catch (IOException e) {
          failures.add(e);
        }
      }
      if (!failures.isEmpty()) {
        IOException first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        throw first;
      }
    } finally {
      syncLock.unlock();
    }
  }

  private interface AutoCloseableIo {
    void close() throws IOException;
  }
}
