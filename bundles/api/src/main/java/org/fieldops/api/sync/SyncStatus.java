package org.fieldops.api.sync;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the server holds of a technician's uploads: nothing silently lost.
 *
 * @param deviceId the device asked about, or {@code null} for all the caller's devices
 * @param lastUploadAt the last upload (server clock)
 * @param lastSeq the highest {@code seq} received
 * @param counts events by first outcome (APPLIED, MERGED, REVIEW, REJECTED)
 * @param inReview events held for the office, with their review (newest first, at most 200)
 * @param rejected rejected events with reasons (newest first, at most 200)
 * @param gaps ranges of {@code seq} never received between received ones (at most 100)
 */
public record SyncStatus(
    String deviceId,
    Instant lastUploadAt,
    Long lastSeq,
    Map<String, Long> counts,
    List<HeldEvent> inReview,
    List<Rejection> rejected,
    List<SeqGap> gaps) {
  public SyncStatus {
    counts = Map.copyOf(counts);
    inReview = List.copyOf(inReview);
    rejected = List.copyOf(rejected);
    gaps = List.copyOf(gaps);
  }

  /** An event in review. */
  public record HeldEvent(
      String deviceId,
      String opId,
      long seq,
      String jobId,
      String type,
      String reviewId,
      String reviewStatus,
      String resolution,
      Instant receivedAt) {}

  /** {@code seq} values {@code from..to} (inclusive) of a device never received. */
  public record SeqGap(String deviceId, long from, long to) {}
}
