package org.fieldops.client;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.fieldops.client.internal.DefaultFieldClient;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A technician's device talking to FieldOps: the job packet cached for offline reading, and a
 * durable queue of the changes the technician records, uploaded when the network allows.
 *
 * <p><b>Guarantees.</b> Every {@code record...} method writes the change to the local store and
 * forces it to disk before it returns: once it returned, the change survives a killed process, a
 * crash or a power cut, and will be uploaded. Each change gets the next {@code seq} of the device
 * and a new random {@code opId}, and is sent with exactly these until the server answered it; the
 * server applies it once however often it is sent. Changes are sent in {@code seq} order, in
 * batches of at most 500, media (photos, signatures) uploaded before the batch that names them.
 *
 * <p><b>Threading.</b> Thread-safe. Recording and reading never touch the network and never wait
 * for a sync: they take a short lock and one disk write. At most one sync runs at a time: {@link
 * #syncNow} on the caller's thread (a concurrent call waits for the running one), or the background
 * sync on the client's own thread ({@link #startBackgroundSync}). {@link #close} stops that thread.
 *
 * <p><b>Failures</b> are never swallowed: a sync that did not complete throws {@link SyncException}
 * and leaves its error in {@link SyncState#lastError()} and with the listeners; a store that cannot
 * write throws {@link IOException} from the recording call, and nothing was recorded.
 */
@ProviderType
public interface FieldClient extends Closeable {

  /** A builder for a client. */
  static Builder builder() {
    return new Builder();
  }

  // ---- the packet, offline ----

  /** The cached packet, if one was ever downloaded. Never touches the network. */
  Optional<Packet> packet();

  /** The cached jobs in route order (empty without a packet). Never touches the network. */
  List<PacketJob> jobs();

  /** The cached job with this id. Never touches the network. */
  Optional<PacketJob> job(String jobId);

  /**
   * The job's status as the technician sees it: the target of the newest status move recorded on
   * this device and not yet in the cached packet, else the cached status; {@code null} for a job
   * not in the packet.
   */
  String localStatus(String jobId);

  /**
   * The changes recorded on this job that the store still holds, in {@code seq} order: pending ones
   * and answered ones until the store forgets them (compaction after a complete sync, whose packet
   * refresh brought their effect). With the packet's lines, what this phone did on the job.
   */
  List<Change> changes(String jobId);

  /**
   * Brings the cached packet up to date: a delta since the cached cursor, or a full packet when
   * there is none, when the business day has changed since, or when the server does not know the
   * cursor. Does not upload anything (see {@link #syncNow}).
   */
  Packet refreshPacket() throws SyncException;

  /** Downloads a full packet, replacing the cached one. */
  Packet downloadPacket() throws SyncException;

  // ---- recording changes: durable before they return ----

  /**
   * Records a status move ({@code EN_ROUTE}, {@code ON_SITE}, {@code PAUSED}, {@code COMPLETED}).
   */
  Change recordStatus(String jobId, String to) throws IOException;

  /**
   * Records a checklist answer: a {@code Boolean} (yes/no items), a {@code Number} (number items),
   * a {@code String} (text, or one of a choice item's choices).
   */
  Change recordChecklistAnswer(String jobId, String templateId, String itemId, Object answer)
      throws IOException;

  /**
   * Records the answer to a {@code PHOTO} item: the photo (kept on the device and uploaded first),
   * a {@code photo} event that attaches it to the job (so the server keeps it), and the answer
   * {@code {"sha256": ...}}. Returns the answer.
   */
  Change recordChecklistPhoto(String jobId, String templateId, String itemId, byte[] image)
      throws IOException;

  /** Records labor between two instants at a labor rate of the price book. */
  Change recordLabor(String jobId, Instant startedAt, Instant endedAt, String rateCode)
      throws IOException;

  /** Records a part of the price book used on the job. */
  Change recordPart(String jobId, String sku, BigDecimal quantity) throws IOException;

  /** Records a flat-rate task of the price book. */
  Change recordFlatRate(String jobId, String code, BigDecimal quantity) throws IOException;

  /** Records a note. */
  Change recordNote(String jobId, String text) throws IOException;

  /**
   * Records a photo (JPEG, PNG or WebP bytes): kept on the device, uploaded before the event.
   *
   * @param caption optional
   */
  Change recordPhoto(String jobId, byte[] image, String caption) throws IOException;

  /** Records the customer's signature (an image) and the signer's name. */
  Change recordSignature(String jobId, byte[] image, String signerName) throws IOException;

  /**
   * Records a change of a shared fact of the job's site or equipment ({@code site.accessNotes},
   * {@code equipment/{id}.serialNumber}, {@code equipment/{id}.model}).
   *
   * @param base the value the technician saw
   * @param value the new value ({@code null} clears it)
   */
  Change recordFieldEdit(String jobId, String path, String base, String value) throws IOException;

  /**
   * Records an event of any type with the given {@code data} (values: strings, numbers, booleans,
   * {@code null}, lists and maps of those). For types this SDK does not name yet.
   *
   * @param media SHA-256 hashes of images stored with {@link #storeMedia} that {@code data} names
   */
  Change record(String jobId, String type, Map<String, ?> data, List<String> media)
      throws IOException;

  /**
   * Keeps an image on the device (JPEG, PNG or WebP, by its bytes) for events that name it, and
   * returns its SHA-256 (hex). Idempotent.
   */
  String storeMedia(byte[] image) throws IOException;

  // ---- uploading ----

  /**
   * One sync, on the calling thread: uploads media and every pending change in batches until the
   * queue is empty, sends retryable rejections again once their cause is fixed, refreshes the
   * packet and the review statuses. Does not wait or retry on failure: it throws, and what was
   * answered before the failure stays answered.
   */
  SyncResult syncNow() throws SyncException;

  /**
   * {@link #syncNow} again and again, waiting with exponential backoff and full jitter between
   * failed attempts, until one completes or {@code maxWait} has passed (then the last error is
   * thrown). A non-retryable error is thrown at once.
   */
  SyncResult syncUntilDone(Duration maxWait) throws SyncException, InterruptedException;

  /**
   * Starts syncing on the client's own thread: at once, after each recorded change, every {@code
   * pollInterval} (for deltas), and after a failure with backoff (retryable errors) or after the
   * backoff's cap (others). Idempotent.
   */
  void startBackgroundSync(Duration pollInterval);

  /** Asks the background sync to run now (e.g. the network came back), resetting its backoff. */
  void requestSync();

  // ---- state ----

  /** The app-facing state now. */
  SyncState state();

  /**
   * Sends a rejected change again under a new opId and the next seq (the cause having been fixed,
   * e.g. the checklist answered). The old change becomes {@link Change.Status#REQUEUED}.
   *
   * @throws IllegalArgumentException when there is no rejected change with this opId
   */
  Change retry(String opId) throws IOException;

  /** Removes a rejected or reviewed change from the state (the technician has seen it). */
  void dismiss(String opId) throws IOException;

  void addListener(ClientListener listener);

  void removeListener(ClientListener listener);

  /** Stops the background sync, waits for a running sync, and closes the store. */
  @Override
  void close() throws IOException;

  /** Builds a {@link FieldClient}. */
  final class Builder {
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    private Transport transport;
    private String deviceId;
    private Path storage;
    private int packetDays = 1;
    private int batchSize = 500;
    private Duration retryInitial = Duration.ofSeconds(1);
    private Duration retryCap = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();
    private Random random = new Random();

    Builder() {}

    /** The server and the technician's credentials, through an {@link HttpClientTransport}. */
    public Builder server(URI server, String username, String password) {
      return transport(new HttpClientTransport(server, username, password));
    }

    /** The transport (required, or {@link #server}). */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * This installation's device id (required): 1 to 100 letters, digits, {@code . _ : -}, starting
     * with a letter or digit. Keep it for the life of the installation: the store is tied to it.
     */
    public Builder deviceId(String deviceId) {
      if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
        throw new IllegalArgumentException("invalid device id: " + deviceId);
      }
      this.deviceId = deviceId;
      return this;
    }

    /** The folder of the local store (required; created if missing). One client per folder. */
    public Builder storage(Path storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
      return this;
    }

    /** The packet's window in days, today included: 1 (default) to 7. */
    public Builder packetDays(int days) {
      if (days < 1 || days > 7) {
        throw new IllegalArgumentException("packet days 1 to 7: " + days);
      }
      this.packetDays = days;
      return this;
    }

    /** The most events per upload: 1 to 500 (default 500, the server's limit). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > 500) {
        throw new IllegalArgumentException("batch size 1 to 500: " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Backoff between failed syncs: the first ceiling (default 1 s) and the cap (default 5 min).
     */
    public Builder retryBackoff(Duration initial, Duration cap) {
      if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
        throw new IllegalArgumentException("need 0 < initial <= cap");
      }
      this.retryInitial = initial;
      this.retryCap = cap;
      return this;
    }

    /** The clock for {@code occurredAt} and the state's times (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The random source of the backoff's jitter (tests). */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Opens the store (creating it, or recovering it after a crash) and returns the client.
     *
     * @throws IOException when the store cannot be opened, or another client (in this or another
     *     process) has it open
     * @throws IllegalStateException when the store belongs to another device id
     */
    public FieldClient build() throws IOException {
      if (transport == null || deviceId == null || storage == null) {
        throw new IllegalStateException("transport, deviceId and storage are required");
      }
      return DefaultFieldClient.open(
          new DefaultFieldClient.Settings(
              transport,
              deviceId,
              storage,
              packetDays,
              batchSize,
              retryInitial,
              retryCap,
              clock,
              random));
    }
  }
}
