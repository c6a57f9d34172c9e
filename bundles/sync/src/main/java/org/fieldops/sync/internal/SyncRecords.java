package org.fieldops.sync.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.ValidationException;
import org.fieldops.api.security.Caller;
import org.fieldops.api.sync.Rejection;
import org.fieldops.api.sync.SyncStatus;
import org.fieldops.api.sync.SyncStatus.HeldEvent;
import org.fieldops.api.sync.SyncStatus.SeqGap;
import org.fieldops.store.Database;
import org.fieldops.store.DeviceEntity;
import org.fieldops.store.DeviceEventEntity;
import org.fieldops.store.ReviewEntity;

/**
 * What the server holds of technicians' uploads, for the technician ({@code /me/sync-status}) and
 * the office ({@code /sync/rejections}): every rejected or held event stays visible.
 */
final class SyncRecords {
  static final int MAX_LISTED = 200;
  static final int MAX_GAPS = 100;

  private final Database db;
  private final Clock clock;

  SyncRecords(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  SyncStatus status(String deviceId, Caller caller) {
    return db.read(
        em -> {
          List<String> devices = devicesOf(em, deviceId, caller);
          Map<String, Long> counts = new LinkedHashMap<>();
          for (String o : List.of("APPLIED", "MERGED", "REVIEW", "REJECTED")) {
            counts.put(o, 0L);
          }
          Instant lastUpload = null;
          Long lastSeq = null;
          List<SeqGap> gaps = new ArrayList<>();
          for (String d : devices) {
            for (Object[] row :
                em.createQuery(
                        "SELECT e.outcome, COUNT(e) FROM DeviceEventEntity e WHERE e.deviceId = :d AND e.username = :u GROUP BY e.outcome",
                        Object[].class)
                    .setParameter("d", d)
                    .setParameter("u", caller.username())
                    .getResultList()) {
              counts.merge((String) row[0], ((Number) row[1]).longValue(), Long::sum);
            }
            Object[] last =
                em.createQuery(
                        "SELECT MAX(e.receivedAt), MAX(e.seq) FROM DeviceEventEntity e WHERE e.deviceId = :d AND e.username = :u",
                        Object[].class)
                    .setParameter("d", d)
                    .setParameter("u", caller.username())
                    .getSingleResult();
            if (last[0] != null) {
              Instant at = (Instant) last[0];
              lastUpload = lastUpload == null || at.isAfter(lastUpload) ? at : lastUpload;
              long seq = ((Number) last[1]).longValue();
              lastSeq = lastSeq == null ? seq : Math.max(lastSeq, seq);
            }
            if (gaps.size() < MAX_GAPS) {
              gaps.addAll(gaps(em, d, caller.username(), MAX_GAPS - gaps.size()));
            }
          }
          List<HeldEvent> held = held(em, devices, caller);
          List<Rejection> rejected =
              query(em, devices, caller, "REJECTED").stream().map(SyncRecords::rejection).toList();
          return new SyncStatus(deviceId, lastUpload, lastSeq, counts, held, rejected, gaps);
        });
  }

  private static List<String> devicesOf(EntityManager em, String deviceId, Caller caller) {
    if (deviceId != null) {
      DeviceEntity d = em.find(DeviceEntity.class, deviceId);
      boolean used =
          !em.createQuery(
                  "SELECT e.opId FROM DeviceEventEntity e WHERE e.deviceId = :d AND e.username = :u",
                  String.class)
              .setParameter("d", deviceId)
              .setParameter("u", caller.username())
              .setMaxResults(1)
              .getResultList()
              .isEmpty();
      if (!used && (d == null || !d.username.equals(caller.username()))) {
        throw new NotFoundException("device", deviceId);
      }
      return List.of(deviceId);
    }
    List<String> devices =
        new ArrayList<>(
            em.createQuery(
                    "SELECT DISTINCT e.deviceId FROM DeviceEventEntity e WHERE e.username = :u",
                    String.class)
                .setParameter("u", caller.username())
                .getResultList());
    em.createQuery("SELECT d.deviceId FROM DeviceEntity d WHERE d.username = :u", String.class)
        .setParameter("u", caller.username())
        .getResultList()
        .forEach(
            d -> {
              if (!devices.contains(d)) {
                devices.add(d);
              }
            });
    devices.sort(null);
    return devices;
  }

  private static List<DeviceEventEntity> query(
      EntityManager em, List<String> devices, Caller caller, String outcome) {
    if (devices.isEmpty()) {
      return List.of();
    }
    return em.createQuery(
            "SELECT e FROM DeviceEventEntity e WHERE e.deviceId IN :d AND e.username = :u "
                + "AND e.outcome = :o ORDER BY e.receivedAt DESC, e.seq DESC",
            DeviceEventEntity.class)
        .setParameter("d", devices)
        .setParameter("u", caller.username())
        .setParameter("o", outcome)
        .setMaxResults(MAX_LISTED)
        .getResultList();
  }

  private static List<HeldEvent> held(EntityManager em, List<String> devices, Caller caller) {
    List<HeldEvent> out = new ArrayList<>();
    for (DeviceEventEntity e : query(em, devices, caller, "REVIEW")) {
      ReviewEntity r = e.reviewId == null ? null : em.find(ReviewEntity.class, e.reviewId);
      out.add(
          new HeldEvent(
              e.deviceId,
              e.opId,
              e.seq,
              e.jobId,
              e.type,
              e.reviewId,
              r == null ? null : r.status,
              r == null ? null : r.resolution,
              e.receivedAt));
    }
    return out;
  }

  /**
   * Ranges of {@code seq} never received between received ones: a received {@code s} whose {@code s
   * + 1} is missing starts a gap that ends before the next received {@code seq}.
   */
  static List<SeqGap> gaps(EntityManager em, String deviceId, String username, int max) {
    List<Long> starts =
        em.createQuery(
                "SELECT e.seq FROM DeviceEventEntity e WHERE e.deviceId = :d AND e.username = :u "
                    + "AND NOT EXISTS (SELECT n.opId FROM DeviceEventEntity n WHERE n.deviceId = :d "
                    + "AND n.username = :u AND n.seq = e.seq + 1) ORDER BY e.seq",
                Long.class)
            .setParameter("d", deviceId)
            .setParameter("u", username)
            .setMaxResults(max + 1)
            .getResultList();
    List<SeqGap> out = new ArrayList<>();
    for (Long s : starts) {
      Long next =
          em.createQuery(
                  "SELECT MIN(e.seq) FROM DeviceEventEntity e WHERE e.deviceId = :d "
                      + "AND e.username = :u AND e.seq > :s",
                  Long.class)
              .setParameter("d", deviceId)
              .setParameter("u", username)
              .setParameter("s", s)
              .getSingleResult();
      if (next != null && out.size() < max) {
        out.add(new SeqGap(deviceId, s + 1, next - 1));
      }
    }
    return out;
  }

  Page<Rejection> rejections(String technicianId, Boolean acknowledged, PageRequest page) {
    return db.read(
        em -> {
          StringBuilder jpql =
              new StringBuilder("SELECT e FROM DeviceEventEntity e WHERE e.outcome = 'REJECTED'");
          Map<String, Object> params = new LinkedHashMap<>();
          if (technicianId != null) {
            List<String> users =
                em.createQuery(
                        "SELECT t.username FROM TechnicianEntity t WHERE t.id = :id", String.class)
                    .setParameter("id", technicianId)
                    .getResultList();
            if (users.isEmpty() || users.get(0) == null) {
              return new Page<>(List.of(), null);
            }
            jpql.append(" AND e.username = :u");
            params.put("u", users.get(0));
          }
          if (acknowledged != null) {
            jpql.append(acknowledged ? " AND e.ackAt IS NOT NULL" : " AND e.ackAt IS NULL");
          }
          if (page.cursor() != null) {
            Key k = Key.decode(page.cursor());
            jpql.append(
                " AND (e.receivedAt < :t OR (e.receivedAt = :t AND (e.deviceId > :kd "
                    + "OR (e.deviceId = :kd AND e.opId > :ko))))");
            params.put("t", k.at());
            params.put("kd", k.deviceId());
            params.put("ko", k.opId());
          }
          jpql.append(" ORDER BY e.receivedAt DESC, e.deviceId, e.opId");
          TypedQuery<DeviceEventEntity> q =
              em.createQuery(jpql.toString(), DeviceEventEntity.class);
          params.forEach(q::setParameter);
          List<DeviceEventEntity> rows = q.setMaxResults(page.limit() + 1).getResultList();
          String next = null;
          if (rows.size() > page.limit()) {
            rows = rows.subList(0, page.limit());
            DeviceEventEntity last = rows.get(rows.size() - 1);
            next = new Key(last.receivedAt, last.deviceId, last.opId).encode();
          }
          return new Page<>(rows.stream().map(SyncRecords::rejection).toList(), next);
        });
  }

  Rejection acknowledge(String opId, String deviceId, Caller caller) {
    return db.inTransaction(
        em -> {
          TypedQuery<DeviceEventEntity> q =
              em.createQuery(
                  "SELECT e FROM DeviceEventEntity e WHERE e.opId = :o AND e.outcome = 'REJECTED'"
                      + (deviceId == null ? "" : " AND e.deviceId = :d"),
                  DeviceEventEntity.class);
          q.setParameter("o", opId);
          if (deviceId != null) {
            q.setParameter("d", deviceId);
          }
          List<DeviceEventEntity> rows = q.setMaxResults(2).getResultList();
          if (rows.isEmpty()) {
            throw new NotFoundException("rejected event", opId);
          }
          if (rows.size() > 1) {
            throw ValidationException.of(
                "deviceId", "several devices rejected opId " + opId + "; name the device");
          }
          DeviceEventEntity e = rows.get(0);
          if (e.ackAt == null) {
            e.ackAt = clock.instant();
            e.ackBy = caller.username();
          }
          return rejection(e);
        });
  }

  static Rejection rejection(DeviceEventEntity e) {
    return new Rejection(
        e.deviceId,
        e.opId,
        e.seq,
        e.jobId,
        e.type,
        e.reason,
        e.retryable,
        e.message,
        e.username,
        e.occurredAt,
        e.receivedAt,
        e.ackAt != null,
        e.ackBy,
        e.ackAt);
  }

  /** The keyset position of a rejections page. */
  record Key(Instant at, String deviceId, String opId) {
    String encode() {
      String raw = at.toEpochMilli() + "|" + at.getNano() + "|" + deviceId + "|" + opId;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Key decode(String cursor) {
      try {
        String[] p =
            new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                .split("\\|", 4);
        Instant at =
            Instant.ofEpochSecond(
                Math.floorDiv(Long.parseLong(p[0]), 1000), Integer.parseInt(p[1]));
        return new Key(at, p[2], p[3]);
      } catch (RuntimeException bad) {
        throw ValidationException.of("cursor", "is not a cursor returned by this list");
      }
    }
  }
}
