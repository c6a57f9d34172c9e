package org.fieldops.client;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about changes of the client's state. Every method has a default that does nothing.
 *
 * <p>Threading: called on the thread that caused the change (the sync thread for uploads and packet
 * refreshes, the recording thread for recorded changes), after the change is on disk and without
 * any lock of the client held: calling the client back is allowed. An Android app posts to its main
 * thread from here. A listener that throws is logged ({@code System.Logger} {@code
 * org.fieldops.client}) and does not stop the others or the sync.
 */
@ConsumerType
public interface ClientListener {

  /** Pending, in review, rejected, last sync or the last error changed. */
  default void stateChanged(SyncState state) {}

  /** The cached packet changed (downloaded, delta applied). */
  default void packetChanged(Packet packet) {}

  /** A sync or packet download failed; the same error is in {@link SyncState#lastError()}. */
  default void syncFailed(SyncError error) {}

  /** A photo or signature was uploaded. */
  default void mediaUploaded(String sha256, long bytes) {}

  /** A batch of events is about to be sent. */
  default void batchSending(List<Change> batch) {}

  /** The server answered a batch: the changes with their outcomes, in request order. */
  default void batchAnswered(List<Change> answered) {}
}
