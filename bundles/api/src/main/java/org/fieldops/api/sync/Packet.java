package org.fieldops.api.sync;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A technician's job packet: everything the phone needs to work the day offline.
 *
 * @param cursor opaque; pass it as {@code since} to get what changed afterwards
 * @param generatedAt when the server built it (a primed packet keeps its build time)
 * @param timezone the business time zone the window's dates are in
 * @param from the first day of the window
 * @param to the last day of the window (inclusive)
 * @param delta true for an answer to {@code since}: {@code jobs} are only the changed ones
 * @param jobs in route order (slot start)
 * @param removed ids of jobs the device must drop (re-assigned away, cancelled, out of the window)
 * @param priceBook the price book (full packets), or on a delta the entries changed since (all of
 *     them when anything changed; {@code null} when nothing did)
 */
public record Packet(
    String cursor,
    Instant generatedAt,
    String timezone,
    LocalDate from,
    LocalDate to,
    boolean delta,
    List<PacketJob> jobs,
    List<String> removed,
    PacketPriceBook priceBook) {
  public Packet {
    jobs = List.copyOf(jobs);
    removed = List.copyOf(removed);
  }
}
