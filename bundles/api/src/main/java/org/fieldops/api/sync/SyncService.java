package org.fieldops.api.sync;

import java.util.List;
import org.fieldops.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Applies technicians' uploads exactly once. Every event is kept by (deviceId, opId) under a unique
 * key written in the same transaction as its effect; every outcome, rejections too, is committed
 * before {@link #ingest} returns; one bad event never blocks the others. Thread-safe; concurrent
 * uploads of the same batch apply each event once.
 */
@ProviderType
public interface SyncService {

  /**
   * @return one result per event, in request order
   * @throws org.fieldops.api.ValidationException for a broken envelope, naming {@code
   *     events[i].field}
   * @throws org.fieldops.api.AccessDeniedException if the device belongs to another technician
   */
  List<EventResult> ingest(EventBatch batch, Caller caller);

  /** Frees a device id for another technician. @throws org.fieldops.api.NotFoundException */
  void releaseDevice(String deviceId, Caller caller);

  /**
   * The caller's uploads: last upload, counts by outcome, events in review, rejections, seq gaps.
   *
   * @param deviceId one of the caller's devices, or {@code null} for all of them
   * @throws org.fieldops.api.NotFoundException for a device the caller never used
   */
  SyncStatus status(String deviceId, Caller caller);

  /**
   * Rejected events for the office, newest first.
   *
   * @param technicianId only this technician's, or {@code null}
   * @param acknowledged only acknowledged ({@code true}) or open ({@code false}) ones, or {@code
   *     null} for both
   */
  org.fieldops.api.Page<Rejection> rejections(
      String technicianId, Boolean acknowledged, org.fieldops.api.PageRequest page);

  /**
   * Marks a rejection handled by the office. Idempotent.
   *
   * @param deviceId needed only if several devices used this opId
   * @throws org.fieldops.api.NotFoundException if no rejected event has this opId
   */
  Rejection acknowledge(String opId, String deviceId, Caller caller);
}
