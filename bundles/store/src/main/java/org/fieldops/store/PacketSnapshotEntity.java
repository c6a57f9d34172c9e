package org.fieldops.store;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** One part of a primed packet (gzip + base64 of its JSON, split to fit a VARCHAR). */
@Entity
@Table(name = "FO_PACKET_SNAPSHOT")
@IdClass(PacketSnapshotEntity.Key.class)
public class PacketSnapshotEntity {
  @Id
  @Column(name = "TECHNICIAN_ID", length = 36)
  public String technicianId;

  @Id
  @Column(name = "DAY")
  public LocalDate day;

  @Id
  @Column(name = "PART_NO")
  public int partNo;

  @Column(name = "PARTS", nullable = false)
  public int parts;

  @Column(name = "CHANGE_CURSOR", nullable = false)
  public long changeCursor;

  @Column(name = "PRICE_BOOK", nullable = false, length = 64)
  public String priceBook;

  @Column(name = "CREATED_AT", nullable = false)
  public Instant createdAt;

  @Column(name = "DATA", nullable = false, length = 30000)
  public String data;

  /** The composite key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String technicianId;
    public LocalDate day;
    public int partNo;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && partNo == k.partNo
          && Objects.equals(technicianId, k.technicianId)
          && Objects.equals(day, k.day);
    }

    @Override
    public int hashCode() {
      return Objects.hash(technicianId, day, partNo);
    }
  }
}
