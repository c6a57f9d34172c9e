package org.fieldops.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.fieldops.client.Change;
import org.fieldops.client.Change.Status;

/**
 * The device's queue of field events and their outcomes, kept in a {@link Journal}: every change of
 * state is a journal record, forced to disk before the method returns, and applied to memory only
 * after that. Opening replays the journal, so memory is always what the disk says.
 *
 * <p>Records (JSON): {@code head} (device id, next seq, last sync, totals of forgotten changes),
 * {@code q} (a queued event, exactly as it is sent), {@code o} (the server's outcome), {@code m} (a
 * medium is on the server), {@code mx} (the server says it is not), {@code rs} (review status),
 * {@code d} (dismissed), {@code s} (a sync completed). {@link #compact} rewrites the journal with
 * only what is still needed.
 *
 * <p>Thread-safe: every method is {@code synchronized}; none does network I/O.
 */
final class Outbox implements Closeable {
  /** Retained finished changes (rejected, in review) of each kind at compaction, newest first. */
  static final int KEEP_FINISHED = 500;

  /** A consistent copy of the queue for the app. */
  record Snapshot(
      List<Change> pending,
      List<Change> inReview,
      List<Change> rejected,
      int mediaToUpload,
      Instant lastSyncAt,
      Map<String, Long> totals) {}

  private final Journal journal;
  private final Journal.Recovery recovery;
  private final String deviceId;
  private final Map<String, QueuedEvent> entries = new LinkedHashMap<>();
  private final TreeMap<Long, QueuedEvent> pending = new TreeMap<>();
  private final Set<String> uploaded = new HashSet<>();
  private final Map<String, Long> forgotten = new HashMap<>(); // totals of compacted-away changes
  private long nextSeq = 1;
  private Instant lastSyncAt;

  private Outbox(Journal journal, Journal.Recovery recovery, String deviceId) {
    this.journal = journal;
    this.recovery = recovery;
    this.deviceId = deviceId;
  }

  /**
   * Opens the queue of this device, replaying (and if needed repairing) its journal.
   *
   * @throws IllegalStateException if the journal belongs to another device id
   */
  static Outbox open(Path file, String deviceId) throws IOException {
    Journal.Opened opened = Journal.open(file);
    Outbox box = new Outbox(opened.journal(), opened.recovery(), deviceId);
    try {
      boolean headSeen = false;
      for (byte[] r : opened.records()) {
        ObjectNode record = (ObjectNode) Json.parse(r);
        if ("head".equals(Json.str(record, "k"))) {
          String owner = Json.str(record, "deviceId");
          if (!deviceId.equals(owner)) {
            throw new IllegalStateException(
                "the store at " + file + " belongs to device " + owner + ", not " + deviceId);
          }
          headSeen = true;
        }
        box.apply(record);
      }
      if (!headSeen) {
        box.journal.append(List.of(Json.bytes(box.head())));
      }
      return box;
    } catch (IOException | RuntimeException e) {
      opened.journal().close();
      throw e;
    }
  }

  Journal.Recovery recovery() {
    return recovery;
  }

  // ---- recording ----

  /** What to queue: one event. */
  record Draft(
      String jobId,
      String type,
      ObjectNode data,
      Instant occurredAt,
      Long baseVersion,
      List<String> media,
      String replaces,
      int attempt) {}

  /** Queues the events (one journal write for all), each with a new opId and the next seq. */
  synchronized List<QueuedEvent> add(List<Draft> drafts, Instant now) throws IOException {
    List<ObjectNode> records = new ArrayList<>();
    long seq = nextSeq;
    for (Draft d : drafts) {
      if (d.replaces() != null) {
        QueuedEvent old = entries.get(d.replaces());
        if (old == null || old.status != Status.REJECTED) {
          throw new IllegalArgumentException("no rejected change " + d.replaces());
        }
      }
      ObjectNode event = Json.object();
      event.put("opId", UUID.randomUUID().toString());
      event.put("seq", seq++);
      event.put("jobId", d.jobId());
      event.put("type", d.type());
      event.put("occurredAt", d.occurredAt().toString());
      if (d.baseVersion() != null) {
        event.put("baseVersion", d.baseVersion());
      } else {
        event.putNull("baseVersion");
      }
      event.set("data", d.data());
      ObjectNode q = Json.object().put("k", "q");
      q.set("event", event);
      ArrayNode media = q.putArray("media");
      d.media().forEach(media::add);
      q.put("recordedAt", now.toString());
      if (d.replaces() != null) {
        q.put("replaces", d.replaces());
      }
      q.put("attempt", d.attempt());
      records.add(q);
    }
    write(records);
    List<QueuedEvent> added = new ArrayList<>();
    for (ObjectNode q : records) {
      added.add(entries.get(q.get("event").get("opId").asText()));
    }
    return added;
  }

  // ---- uploading ----

  /** The first {@code max} events without an outcome, in seq order. */
  synchronized List<QueuedEvent> nextBatch(int max) {
    List<QueuedEvent> batch = new ArrayList<>(Math.min(max, pending.size()));
    for (QueuedEvent e : pending.values()) {
      if (batch.size() == max) {
        break;
      }
      batch.add(e);
    }
    return batch;
  }

  synchronized boolean hasPending() {
    return !pending.isEmpty();
  }

  synchronized boolean uploaded(String sha) {
    return uploaded.contains(sha);
  }

  synchronized void mediaUploaded(String sha) throws IOException {
    if (!uploaded.contains(sha)) {
      write(List.of(Json.object().put("k", "m").put("sha256", sha)));
    }
  }

  /** The server does not have these media (any more): upload them again before the next use. */
  synchronized void mediaMissing(List<String> shas) throws IOException {
    ObjectNode r = Json.object().put("k", "mx");
    ArrayNode list = r.putArray("sha256");
    shas.forEach(list::add);
    write(List.of(r));
  }

  /**
   * Stores the server's answers to a batch, all in one journal write.
   *
   * @param results the {@code results} array, one per event of {@code batch}, in its order
   * @return the answered changes
   * @throws IllegalArgumentException when the answers do not fit the batch (nothing is stored)
   */
  synchronized List<QueuedEvent> answer(List<QueuedEvent> batch, JsonNode results, Instant now)
      throws IOException {
    if (results == null || !results.isArray() || results.size() != batch.size()) {
      throw new IllegalArgumentException(
          "expected "
              + batch.size()
              + " results, got "
              + (results == null || !results.isArray() ? "none" : results.size()));
    }
    List<ObjectNode> records = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      JsonNode r = results.get(i);
      QueuedEvent e = batch.get(i);
      if (!e.opId.equals(Json.str(r, "opId"))) {
        throw new IllegalArgumentException(
            "result " + i + " is for opId " + Json.str(r, "opId") + ", not " + e.opId);
      }
      String outcome = Json.str(r, "outcome");
      boolean duplicate = "DUPLICATE".equals(outcome);
      if (duplicate) {
        outcome = Json.str(r, "firstOutcome");
      }
      Status status = status(outcome);
      if (status == null) {
        throw new IllegalArgumentException("unknown outcome " + outcome + " for " + e.opId);
      }
      ObjectNode o = Json.object().put("k", "o").put("opId", e.opId).put("status", status.name());
      o.put("duplicate", duplicate);
      o.set("reason", r.get("reason"));
      o.put("retryable", Json.bool(r, "retryable"));
      o.set("message", r.get("message"));
      o.set("jobVersion", r.get("jobVersion"));
      o.set("reviewId", r.get("reviewId"));
      o.set("value", r.get("value"));
      o.put("at", now.toString());
      records.add(o);
    }
    write(records);
    return List.copyOf(batch);
  }

  private static Status status(String outcome) {
    if (outcome == null) {
      return null;
    }
    return switch (outcome) {
      case "APPLIED" -> Status.APPLIED;
      case "MERGED" -> Status.MERGED;
      case "REVIEW" -> Status.IN_REVIEW;
      case "REJECTED" -> Status.REJECTED;
      default -> null;
    };
  }

  /** Rejected changes that may be sent again (retryable, not dismissed, not sent again yet). */
  synchronized List<QueuedEvent> retryableRejections() {
    List<QueuedEvent> out = new ArrayList<>();
    for (QueuedEvent e : entries.values()) {
      if (e.status == Status.REJECTED && e.retryable && !e.dismissed) {
        out.add(e);
      }
    }
    return out;
  }

  synchronized QueuedEvent get(String opId) {
    return entries.get(opId);
  }

  /** Events held for the office whose review is not known to be resolved. */
  synchronized boolean hasOpenReviews() {
    return entries.values().stream()
        .anyMatch(
            e ->
                e.status == Status.IN_REVIEW && !e.dismissed && !"RESOLVED".equals(e.reviewStatus));
  }

  /** Updates review statuses from the server's sync status ({@code inReview} items). */
  synchronized List<QueuedEvent> reviews(JsonNode inReview) throws IOException {
    List<ObjectNode> records = new ArrayList<>();
    for (JsonNode r : inReview) {
      QueuedEvent e = entries.get(Json.str(r, "opId"));
      if (e == null || e.status != Status.IN_REVIEW) {
        continue;
      }
      String status = Json.str(r, "reviewStatus");
      String resolution = Json.str(r, "resolution");
      if (!java.util.Objects.equals(status, e.reviewStatus)
          || !java.util.Objects.equals(resolution, e.resolution)) {
        ObjectNode rs = Json.object().put("k", "rs").put("opId", e.opId);
        rs.put("reviewStatus", status);
        rs.put("resolution", resolution);
        records.add(rs);
      }
    }
    write(records);
    List<QueuedEvent> changed = new ArrayList<>();
    records.forEach(r -> changed.add(entries.get(r.get("opId").asText())));
    return changed;
  }

  synchronized void dismiss(String opId) throws IOException {
    QueuedEvent e = entries.get(opId);
    if (e == null || (e.status != Status.REJECTED && e.status != Status.IN_REVIEW)) {
      throw new IllegalArgumentException("no rejected or reviewed change " + opId);
    }
    if (!e.dismissed) {
      write(List.of(Json.object().put("k", "d").put("opId", opId)));
    }
  }

  synchronized void synced(Instant at) throws IOException {
    write(List.of(Json.object().put("k", "s").put("at", at.toString())));
  }

  /** The changes of the job the store holds, in seq order. */
  synchronized List<Change> changes(String jobId) {
    List<Change> out = new ArrayList<>();
    for (QueuedEvent e : entries.values()) {
      if (e.jobId.equals(jobId)) {
        out.add(e.toChange());
      }
    }
    return out;
  }

  /** The newest status move on the job recorded here, pending or answered, if any. */
  synchronized Change lastStatusMove(String jobId) {
    QueuedEvent last = null;
    for (QueuedEvent e : entries.values()) {
      if (e.jobId.equals(jobId) && "status".equals(e.type) && e.status != Status.REQUEUED) {
        last = e;
      }
    }
    return last == null ? null : last.toChange();
  }

  synchronized Snapshot snapshot() {
    List<Change> p = new ArrayList<>();
    Set<String> media = new LinkedHashSet<>();
    for (QueuedEvent e : pending.values()) {
      p.add(e.toChange());
      for (String m : e.media) {
        if (!uploaded.contains(m)) {
          media.add(m);
        }
      }
    }
    List<Change> review = new ArrayList<>();
    List<Change> rejected = new ArrayList<>();
    List<QueuedEvent> newestFirst = new ArrayList<>(entries.values());
    newestFirst.sort(Comparator.comparingLong((QueuedEvent e) -> e.seq).reversed());
    for (QueuedEvent e : newestFirst) {
      if (e.dismissed) {
        continue;
      }
      if (e.status == Status.IN_REVIEW) {
        review.add(e.toChange());
      } else if (e.status == Status.REJECTED) {
        rejected.add(e.toChange());
      }
    }
    return new Snapshot(p, review, rejected, media.size(), lastSyncAt, totals());
  }

  synchronized Map<String, Long> totals() {
    Map<String, Long> t = new HashMap<>(forgotten);
    for (QueuedEvent e : entries.values()) {
      if (e.outcomeRecord != null) {
        t.merge(e.outcomeRecord.get("status").asText(), 1L, Long::sum);
      }
    }
    return t;
  }

  // ---- compaction ----

  /** Whether the journal holds much more than the live state. */
  synchronized boolean worthCompacting() {
    long live = 1 + pending.size() * 2L + uploaded.size();
    for (QueuedEvent e : entries.values()) {
      if ((e.status == Status.REJECTED || e.status == Status.IN_REVIEW) && !e.dismissed) {
        live += 3;
      }
    }
    return journal.records() > 1_000 && journal.records() > live * 2;
  }

  /**
   * Rewrites the journal with the head, pending changes, the newest {@link #KEEP_FINISHED} rejected
   * and in-review changes not dismissed, and the upload marks of pending media; forgets the rest
   * (its outcomes stay counted in the totals).
   *
   * @return media hashes that no kept change names any more (their files may go)
   */
  synchronized Set<String> compact() throws IOException {
    List<QueuedEvent> keep = new ArrayList<>();
    int rejected = 0;
    int review = 0;
    List<QueuedEvent> newestFirst = new ArrayList<>(entries.values());
    newestFirst.sort(Comparator.comparingLong((QueuedEvent e) -> e.seq).reversed());
    for (QueuedEvent e : newestFirst) {
      if (e.status == Status.PENDING
          || (e.status == Status.REJECTED && !e.dismissed && rejected++ < KEEP_FINISHED)
          || (e.status == Status.IN_REVIEW && !e.dismissed && review++ < KEEP_FINISHED)) {
        keep.add(e);
      }
    }
    keep.sort(Comparator.comparingLong(e -> e.seq));
    Set<String> keptIds = new HashSet<>();
    Set<String> keptMedia = new HashSet<>();
    keep.forEach(
        e -> {
          keptIds.add(e.opId);
          keptMedia.addAll(e.media);
        });
    Map<String, Long> forget = new HashMap<>(forgotten);
    Set<String> unusedMedia = new HashSet<>();
    for (QueuedEvent e : entries.values()) {
      if (!keptIds.contains(e.opId)) {
        if (e.outcomeRecord != null) {
          forget.merge(e.outcomeRecord.get("status").asText(), 1L, Long::sum);
        }
        e.media.stream().filter(m -> !keptMedia.contains(m)).forEach(unusedMedia::add);
      }
    }
    List<byte[]> records = new ArrayList<>();
    ObjectNode head = head();
    ObjectNode totals = head.putObject("totals");
    forget.forEach(totals::put);
    records.add(Json.bytes(head));
    for (QueuedEvent e : keep) {
      ObjectNode q = Json.object().put("k", "q");
      q.set("event", e.event);
      ArrayNode media = q.putArray("media");
      e.media.forEach(media::add);
      q.put("recordedAt", e.recordedAt == null ? null : e.recordedAt.toString());
      if (e.replaces != null) {
        q.put("replaces", e.replaces);
      }
      q.put("attempt", e.attempt);
      records.add(Json.bytes(q));
      if (e.outcomeRecord != null) {
        records.add(Json.bytes(e.outcomeRecord));
      }
      if (e.reviewStatus != null || e.resolution != null) {
        records.add(
            Json.bytes(
                Json.object()
                    .put("k", "rs")
                    .put("opId", e.opId)
                    .put("reviewStatus", e.reviewStatus)
                    .put("resolution", e.resolution)));
      }
    }
    for (String sha : uploaded) {
      if (keptMedia.contains(sha)) {
        records.add(Json.bytes(Json.object().put("k", "m").put("sha256", sha)));
      }
    }
    journal.rewrite(records);
    // memory follows the disk: keep exactly what was written
    entries.keySet().retainAll(keptIds);
    uploaded.retainAll(keptMedia);
    forgotten.clear();
    forgotten.putAll(forget);
    return unusedMedia;
  }

  long journalBytes() {
    synchronized (this) {
      return journal.size();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    journal.close();
  }

  // ---- records ----

  private ObjectNode head() {
    ObjectNode h = Json.object().put("k", "head").put("v", 1).put("deviceId", deviceId);
    h.put("nextSeq", nextSeq);
    h.put("lastSyncAt", lastSyncAt == null ? null : lastSyncAt.toString());
    return h;
  }

  /** Writes the records (one fsynced append), then applies them to memory. */
  private void write(List<ObjectNode> records) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    List<byte[]> bytes = new ArrayList<>(records.size());
    records.forEach(r -> bytes.add(Json.bytes(r)));
    journal.append(bytes);
    records.forEach(this::apply);
  }

  private void apply(ObjectNode r) {
    switch (r.path("k").asText()) {
      case "head" -> {
        nextSeq = Math.max(nextSeq, r.path("nextSeq").asLong(1));
        if (r.hasNonNull("lastSyncAt")) {
          lastSyncAt = Instant.parse(r.get("lastSyncAt").asText());
        }
        r.path("totals")
            .properties()
            .forEach(f -> forgotten.put(f.getKey(), f.getValue().asLong()));
      }
      case "q" -> {
        QueuedEvent e = new QueuedEvent(r);
        entries.put(e.opId, e);
        pending.put(e.seq, e);
        nextSeq = Math.max(nextSeq, e.seq + 1);
        if (e.replaces != null) {
          QueuedEvent old = entries.get(e.replaces);
          if (old != null) {
            old.status = Status.REQUEUED;
            old.replacedBy = e.opId;
          }
        }
      }
      case "o" -> {
        QueuedEvent e = entries.get(r.get("opId").asText());
        if (e != null) {
          pending.remove(e.seq);
          e.outcomeRecord = r;
          e.status = Status.valueOf(r.get("status").asText());
          e.reason = Json.str(r, "reason");
          e.retryable = Json.bool(r, "retryable");
          e.message = Json.str(r, "message");
          e.jobVersion = Json.lng(r, "jobVersion");
          e.reviewId = Json.str(r, "reviewId");
          e.value = Json.str(r, "value");
          if (e.replacedBy != null) {
            e.status = Status.REQUEUED; // compacted journals write the outcome after the requeue
          }
        }
      }
      case "m" -> uploaded.add(r.get("sha256").asText());
      case "mx" -> Json.strings(r, "sha256").forEach(uploaded::remove);
      case "rs" -> {
        QueuedEvent e = entries.get(r.get("opId").asText());
        if (e != null) {
          e.reviewStatus = Json.str(r, "reviewStatus");
          e.resolution = Json.str(r, "resolution");
        }
      }
      case "d" -> {
        QueuedEvent e = entries.get(r.get("opId").asText());
        if (e != null) {
          e.dismissed = true;
        }
      }
      case "s" -> lastSyncAt = Instant.parse(r.get("at").asText());
      default -> {
        // a record of a newer client version: ignored by this one
      }
    }
  }
}
