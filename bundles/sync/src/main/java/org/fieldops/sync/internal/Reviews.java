package org.fieldops.sync.internal;

import java.time.Instant;
import javax.persistence.EntityManager;
import org.fieldops.api.security.Caller;
import org.fieldops.api.sync.FieldEvent;
import org.fieldops.api.sync.Review;
import org.fieldops.store.Ids;
import org.fieldops.store.ReviewEntity;

/** Opening reviews (inside the event's transaction) and reading them. */
final class Reviews {
  private Reviews() {}

  static String open(
      EntityManager em,
      String kind,
      FieldEvent e,
      String deviceId,
      Caller caller,
      String path,
      String base,
      String server,
      String device,
      Instant now) {
    ReviewEntity r = new ReviewEntity();
    r.id = Ids.next();
    r.status = "OPEN";
    r.kind = kind;
    r.jobId = e.jobId();
    r.deviceId = deviceId;
    r.opId = e.opId();
    r.username = caller.username();
    r.path = path;
    r.baseValue = cap(base);
    r.serverValue = cap(server);
    r.deviceValue = cap(device);
    r.deviceOccurredAt = e.occurredAt();
    r.createdAt = now;
    em.persist(r);
    return r.id;
  }

  static Review toRecord(ReviewEntity r) {
    return new Review(
        r.id,
        r.status,
        r.kind,
        r.jobId,
        r.deviceId,
        r.opId,
        r.username,
        r.path,
        r.baseValue,
        r.serverValue,
        r.deviceValue,
        r.deviceOccurredAt,
        r.createdAt,
        r.resolution,
        r.resolvedValue,
        r.resolvedBy,
        r.resolvedAt,
        r.version);
  }

  private static String cap(String v) {
    return v == null || v.length() <= 10_000 ? v : v.substring(0, 10_000);
  }
}
