package org.fieldops.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the app shows about its uploads: a consistent snapshot, taken at {@link FieldClient#state()}
 * or passed to {@link ClientListener#stateChanged}.
 *
 * @param deviceId this installation's device id
 * @param pending changes not answered by the server yet, in {@code seq} order (the upload order)
 * @param inReview changes held for the office, newest first, until dismissed
 * @param rejected changes the server refused, newest first, until dismissed or sent again
 * @param mediaToUpload photos and signatures of pending changes not yet on the server
 * @param lastSyncAt the end of the last complete sync (queue drained, packet refreshed), or {@code
 *     null}
 * @param lastAttemptAt the start of the last sync attempt, or {@code null}
 * @param lastError why the last attempt failed; {@code null} once a sync completed
 * @param syncing whether a sync is running now
 * @param totals changes answered since the store was created, by {@link Change.Status} name
 * @param packetRefreshedAt when the packet was last downloaded or refreshed, or {@code null}
 */
public record SyncState(
    String deviceId,
    List<Change> pending,
    List<Change> inReview,
    List<Change> rejected,
    int mediaToUpload,
    Instant lastSyncAt,
    Instant lastAttemptAt,
    SyncError lastError,
    boolean syncing,
    Map<String, Long> totals,
    Instant packetRefreshedAt) {
  public SyncState {
    pending = List.copyOf(pending);
    inReview = List.copyOf(inReview);
    rejected = List.copyOf(rejected);
    totals = Map.copyOf(totals);
  }
}
