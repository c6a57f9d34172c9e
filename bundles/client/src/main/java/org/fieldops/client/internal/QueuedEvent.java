package org.fieldops.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.fieldops.client.Change;
import org.fieldops.client.Change.Status;

/**
 * One event of the device's queue, exactly as it is sent ({@link #event}), and what became of it.
 * The immutable fields never change; the others are changed by {@link Outbox} only, under its lock,
 * after the journal record saying so is on disk.
 */
final class QueuedEvent {
  final String opId;
  final long seq;
  final String jobId;
  final String type;
  final ObjectNode event;
  final List<String> media;
  final Instant recordedAt;
  final String replaces;
  final int attempt;
  Status status = Status.PENDING;
  String reason;
  boolean retryable;
  String message;
  Long jobVersion;
  String reviewId;
  String reviewStatus;
  String resolution;
  String value;
  String replacedBy;
  boolean dismissed;
  ObjectNode outcomeRecord;

  QueuedEvent(ObjectNode q) {
    this.event = (ObjectNode) q.get("event");
    this.opId = event.get("opId").asText();
    this.seq = event.get("seq").asLong();
    this.jobId = event.get("jobId").asText();
    this.type = event.get("type").asText();
    this.media = List.copyOf(Json.strings(q, "media"));
    this.recordedAt = Json.instant(q, "recordedAt");
    this.replaces = Json.str(q, "replaces");
    this.attempt = q.path("attempt").asInt(0);
  }

  Change toChange() {
    return new Change(
        opId,
        seq,
        jobId,
        type,
        Json.text(event.get("data")),
        Json.instant(event, "occurredAt"),
        Json.lng(event, "baseVersion"),
        media,
        status,
        reason,
        retryable,
        message,
        jobVersion,
        reviewId,
        reviewStatus,
        resolution,
        value,
        replaces,
        replacedBy);
  }

  JsonNode data() {
    return event.get("data");
  }
}
