package org.fieldops.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fieldops.client.Change;
import org.fieldops.client.Packet;
import org.fieldops.client.PacketJob;
import org.fieldops.client.SyncError;
import org.fieldops.client.SyncException;

/**
 * The upload half of a sync: media first, then the queue in batches in seq order, then the
 * retryable rejections whose cause is gone. Runs on the sync thread only (the client's sync lock is
 * held).
 */
final class Uploader {
  private static final System.Logger LOG = System.getLogger("org.fieldops.client");

  /** Automatic re-sends of one change (a new opId each); more is up to the app ({@code retry}). */
  static final int AUTO_RETRIES = 3;

  private static final Pattern CHECKLIST_ITEM =
      Pattern.compile("([a-z0-9][a-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)");

  /** What one sync did so far. */
  static final class Tally {
    int mediaUploaded;
    int batches;
    int eventsSent;
    int duplicates;
    int requeued;
    final List<Change> answered = new ArrayList<>();
  }

  private final String deviceId;
  private final int maxBatch;
  private final Outbox outbox;
  private final MediaStore media;
  private final ServerApi api;
  private final Listeners listeners;
  private final Clock clock;
  private final Runnable stateChanged;

  /** Media the server refused (4xx); kept for this process, shown with the MEDIA_MISSING answer. */
  private final Map<String, SyncError> refusedMedia = new ConcurrentHashMap<>();

  private int batchSize;

  Uploader(
      String deviceId,
      int batchSize,
      Outbox outbox,
      MediaStore media,
      ServerApi api,
      Listeners listeners,
      Clock clock,
      Runnable stateChanged) {
    this.deviceId = deviceId;
    this.maxBatch = batchSize;
    this.batchSize = batchSize;
    this.outbox = outbox;
    this.media = media;
    this.api = api;
    this.listeners = listeners;
    this.clock = clock;
    this.stateChanged = stateChanged;
  }

  /** Sends every pending change, batch after batch, until none is left. */
  void drain(Tally tally) throws SyncException {
    while (true) {
      List<QueuedEvent> batch = outbox.nextBatch(batchSize);
      if (batch.isEmpty()) {
        return;
      }
      uploadMedia(batch, tally);
      List<Change> sending = batch.stream().map(QueuedEvent::toChange).toList();
      listeners.each("batchSending", l -> l.batchSending(sending));
      List<ObjectNode> events = batch.stream().map(e -> e.event).toList();
      JsonNode results;
      try {
        tally.batches++;
        tally.eventsSent += events.size();
        results = api.events(deviceId, events);
      } catch (SyncException e) {
        if (e.error().httpStatus() == 413 && batchSize > 1) {
          batchSize = Math.max(1, batchSize / 2); // the body cap is the operator's: split
          LOG.log(Level.INFO, "upload too large (413): batches of {0} from now on", batchSize);
          continue;
        }
        throw e;
      }
      List<QueuedEvent> answered;
      try {
        answered = outbox.answer(batch, results, clock.instant());
      } catch (IllegalArgumentException e) {
        throw new SyncException(
            new SyncError(
                SyncError.Kind.PROTOCOL,
                200,
                "the answer to a batch of "
                    + batch.size()
                    + " events does not fit it: "
                    + e.getMessage(),
                false,
                null,
                clock.instant()),
            e);
      } catch (IOException e) {
        throw storage(e);
      }
      for (int i = 0; i < results.size(); i++) {
        if ("DUPLICATE".equals(Json.str(results.get(i), "outcome"))) {
          tally.duplicates++;
        }
      }
      List<Change> done = answered.stream().map(QueuedEvent::toChange).toList();
      tally.answered.addAll(done);
      listeners.each("batchAnswered", l -> l.batchAnswered(done));
      stateChanged.run();
      if (batchSize < maxBatch) {
        batchSize = Math.min(maxBatch, batchSize * 2);
      }
    }
  }

  /** Uploads, in order, the media the batch names that the server does not have yet. */
  private void uploadMedia(List<QueuedEvent> batch, Tally tally) throws SyncException {
    Set<String> needed = new LinkedHashSet<>();
    for (QueuedEvent e : batch) {
      for (String sha : e.media) {
        if (!outbox.uploaded(sha)) {
          needed.add(sha);
        }
      }
    }
    for (String sha : needed) {
      Optional<byte[]> bytes;
      try {
        bytes = media.read(sha);
      } catch (IOException e) {
        throw storage(e);
      }
      if (bytes.isEmpty()) {
        // not on this device (or damaged): the server decides; MEDIA_MISSING if it lacks it too
        LOG.log(Level.WARNING, "medium {0} is not on the device: sending its events anyway", sha);
        continue;
      }
      SyncError refused = api.media(sha, bytes.get(), MediaStore.contentType(bytes.get()));
      if (refused != null) {
        refusedMedia.put(sha, refused);
        LOG.log(Level.WARNING, "the server refused medium {0}: {1}", sha, refused.message());
        continue;
      }
      try {
        outbox.mediaUploaded(sha);
      } catch (IOException e) {
        throw storage(e);
      }
      tally.mediaUploaded++;
      int size = bytes.get().length;
      listeners.each("mediaUploaded", l -> l.mediaUploaded(sha, size));
    }
  }

  /**
   * Sends again, under new opIds, the retryable rejections whose cause this device can see gone:
   * {@code MEDIA_MISSING} when every medium is on the device (uploaded again first), {@code
   * CHECKLIST_INCOMPLETE} when the packet shows the named items answered. At most {@link
   * #AUTO_RETRIES} times per change.
   */
  int requeueFixed(Packet packet, Tally tally) throws SyncException {
    int requeued = 0;
    for (QueuedEvent e : outbox.retryableRejections()) {
      if (e.attempt >= AUTO_RETRIES) {
        continue;
      }
      boolean fixed =
          switch (e.reason == null ? "" : e.reason) {
            case "MEDIA_MISSING" -> mediaOnDevice(e);
            case "CHECKLIST_INCOMPLETE" -> checklistAnswered(e, packet);
            default -> false;
          };
      if (fixed) {
        try {
          requeue(e, packet);
        } catch (IOException ex) {
          throw storage(ex);
        }
        requeued++;
      }
    }
    tally.requeued += requeued;
    if (requeued > 0) {
      stateChanged.run();
    }
    return requeued;
  }

  /** Queues the rejected change again: new opId, next seq, the job's version now. */
  QueuedEvent requeue(QueuedEvent e, Packet packet) throws IOException {
    if (!e.media.isEmpty() && "MEDIA_MISSING".equals(e.reason)) {
      outbox.mediaMissing(e.media); // the server lacks them: upload again
    }
    Long base = Json.lng(e.event, "baseVersion");
    if (packet != null) {
      base = packet.job(e.jobId).map(PacketJob::version).orElse(base);
    }
    Outbox.Draft draft =
        new Outbox.Draft(
            e.jobId,
            e.type,
            e.data().deepCopy(),
            Json.instant(e.event, "occurredAt"),
            base,
            e.media,
            e.opId,
            e.attempt + 1);
    return outbox.add(List.of(draft), clock.instant()).get(0);
  }

  private boolean mediaOnDevice(QueuedEvent e) {
    if (e.media.isEmpty()) {
      return false;
    }
    for (String sha : e.media) {
      if (refusedMedia.containsKey(sha) || !media.has(sha)) {
        return false;
      }
    }
    return true;
  }

  private static boolean checklistAnswered(QueuedEvent e, Packet packet) {
    if (packet == null) {
      return false;
    }
    Optional<PacketJob> job = packet.job(e.jobId);
    if (job.isEmpty()) {
      return false;
    }
    List<String> open = new ArrayList<>();
    for (PacketJob.Checklist c : job.get().checklists()) {
      c.missing().forEach(item -> open.add(c.templateId() + "/" + item));
    }
    if (e.message != null) {
      Matcher m = CHECKLIST_ITEM.matcher(e.message);
      boolean named = false;
      while (m.find()) {
        named = true;
        if (open.contains(m.group(1) + "/" + m.group(2))) {
          return false;
        }
      }
      if (named) {
        return true;
      }
    }
    return open.isEmpty();
  }

  /** Refreshes the review statuses of changes held for the office. */
  void refreshReviews() throws SyncException {
    if (!outbox.hasOpenReviews()) {
      return;
    }
    JsonNode status = api.syncStatus(deviceId);
    if (status == null) {
      return;
    }
    try {
      if (!outbox.reviews(status.path("inReview")).isEmpty()) {
        stateChanged.run();
      }
    } catch (IOException e) {
      throw storage(e);
    }
  }

  private SyncException storage(IOException e) {
    return new SyncException(
        new SyncError(
            SyncError.Kind.STORAGE,
            0,
            "the local store failed: " + e,
            false,
            null,
            clock.instant()),
        e);
  }
}
