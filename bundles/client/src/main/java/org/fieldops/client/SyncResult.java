package org.fieldops.client;

import java.time.Duration;
import java.util.List;

/**
 * What one completed sync did.
 *
 * @param mediaUploaded photos and signatures uploaded
 * @param batches event batches sent ({@code POST /me/events})
 * @param eventsSent events sent, resends included
 * @param answered the changes answered in this sync, in the order answered
 * @param duplicates answers that were {@code DUPLICATE} (the server had the event already: a resend
 *     after a lost answer)
 * @param requeued rejected retryable changes sent again under a new opId
 * @param packet {@code "full"}, {@code "delta"} or {@code "none"}: how the packet was refreshed
 * @param jobsChanged jobs the packet refresh brought
 * @param jobsRemoved jobs the packet refresh removed
 * @param took how long it took
 */
public record SyncResult(
    int mediaUploaded,
    int batches,
    int eventsSent,
    List<Change> answered,
    int duplicates,
    int requeued,
    String packet,
    int jobsChanged,
    int jobsRemoved,
    Duration took) {
  public SyncResult {
    answered = List.copyOf(answered);
  }

  /** How many of {@link #answered()} ended in this status. */
  public long count(Change.Status status) {
    return answered.stream().filter(c -> c.status() == status).count();
  }
}
