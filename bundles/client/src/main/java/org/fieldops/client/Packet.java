package org.fieldops.client;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cached job packet as the app reads it: the last full packet with every delta since applied.
 *
 * @param cursor the server's cursor of the newest packet or delta applied (opaque)
 * @param generatedAt when the server built the newest packet or delta
 * @param timezone the business time zone the window is counted in
 * @param from the window's first day
 * @param to the window's last day (inclusive)
 * @param refreshedAt when this device last received a packet or delta (device clock)
 * @param jobs the jobs, in route order: by {@code slotStart}, then by id (the device's own order,
 *     since a delta renumbers only its own jobs)
 * @param priceBook the price book, inactive entries included after a delta changed it
 */
public record Packet(
    String cursor,
    Instant generatedAt,
    String timezone,
    LocalDate from,
    LocalDate to,
    Instant refreshedAt,
    List<PacketJob> jobs,
    PriceBook priceBook) {
  public Packet {
    Objects.requireNonNull(cursor, "cursor");
    jobs = List.copyOf(jobs);
    Objects.requireNonNull(priceBook, "priceBook");
  }

  /** The job with this id, if it is in the packet. */
  public Optional<PacketJob> job(String id) {
    return jobs.stream().filter(j -> j.id().equals(id)).findFirst();
  }
}
