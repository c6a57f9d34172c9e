package org.fieldops.sync.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.fieldops.api.sync.Packet;
import org.fieldops.store.Database;
import org.fieldops.store.PacketSnapshotEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Primed packets: built overnight, stored (gzip + base64 in VARCHAR parts), and served to the
 * technician's first request of the day if nothing changed for them since (no change-log row of
 * theirs after the snapshot's cursor, same price book).
 */
final class PacketSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(PacketSnapshots.class);
  static final int PART = 30_000;

  private final Database db;
  private final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  PacketSnapshots(Database db) {
    this.db = db;
  }

  void store(String tech, LocalDate day, Packet packet, PacketCursor cursor, Instant now) {
    String data = encode(packet);
    int parts = (data.length() + PART - 1) / PART;
    db.inTransaction(
        em -> {
          em.createQuery(
                  "DELETE FROM PacketSnapshotEntity s WHERE s.technicianId = :t AND s.day = :d")
              .setParameter("t", tech)
              .setParameter("d", day)
              .executeUpdate();
          for (int i = 0; i < parts; i++) {
            PacketSnapshotEntity s = new PacketSnapshotEntity();
            s.technicianId = tech;
            s.day = day;
            s.partNo = i;
            s.parts = parts;
            s.changeCursor = cursor.changeCursor();
            s.priceBook = cursor.priceBook();
            s.createdAt = now;
            s.data = data.substring(i * PART, Math.min(data.length(), (i + 1) * PART));
            em.persist(s);
          }
          return null;
        });
  }

  /** The primed packet, if there is one and nothing changed for the technician since. */
  Packet served(String tech, LocalDate day, String priceBook) {
    return db.read(
        em -> {
          List<PacketSnapshotEntity> parts =
              em.createQuery(
                      "SELECT s FROM PacketSnapshotEntity s WHERE s.technicianId = :t AND s.day = :d "
                          + "ORDER BY s.partNo",
                      PacketSnapshotEntity.class)
                  .setParameter("t", tech)
                  .setParameter("d", day)
                  .getResultList();
          if (parts.isEmpty()
              || parts.size() != parts.get(0).parts
              || !parts.get(0).priceBook.equals(priceBook)) {
            return null;
          }
          boolean changed =
              !em.createQuery(
                      "SELECT t.changeId FROM ChangeTechnicianEntity t WHERE t.technicianId = :t "
                          + "AND (t.cursor > :c OR t.cursor IS NULL)",
                      String.class)
                  .setParameter("t", tech)
                  .setParameter("c", parts.get(0).changeCursor)
                  .setMaxResults(1)
                  .getResultList()
                  .isEmpty();
          if (changed) {
            return null;
          }
          StringBuilder data = new StringBuilder();
          parts.forEach(p -> data.append(p.data));
          try {
            return decode(data.toString());
          } catch (RuntimeException unreadable) {
            LOG.warn(
                "Primed packet of {} for {} unreadable; building it anew", tech, day, unreadable);
            return null;
          }
        });
  }

  void purgeBefore(LocalDate day) {
    db.inTransaction(
        em ->
            em.createQuery("DELETE FROM PacketSnapshotEntity s WHERE s.day < :d")
                .setParameter("d", day)
                .executeUpdate());
  }

  String encode(Packet packet) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
        json.writeValue(gz, packet);
      }
      return Base64.getEncoder().encodeToString(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Packet decode(String data) {
    try (GZIPInputStream gz =
        new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(data)))) {
      return json.readValue(gz, Packet.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
