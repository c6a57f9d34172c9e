package org.fieldops.client;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The packet's price book: what the technician may record as labor, parts and flat-rate tasks.
 *
 * @param laborRates labor rates; {@link Entry#code()} is the rate code, the price per hour
 * @param parts parts; {@link Entry#code()} is the SKU, the price per unit
 * @param flatRateTasks flat-rate tasks; the price per task
 */
public record PriceBook(List<Entry> laborRates, List<Entry> parts, List<Entry> flatRateTasks) {
  public PriceBook {
    laborRates = List.copyOf(laborRates);
    parts = List.copyOf(parts);
    flatRateTasks = List.copyOf(flatRateTasks);
  }

  /** An empty price book. */
  public static PriceBook empty() {
    return new PriceBook(List.of(), List.of(), List.of());
  }

  /**
   * One price book entry.
   *
   * @param code the rate code, SKU or task code
   * @param name what the technician sees
   * @param price the price (two decimals in packets)
   * @param currency ISO 4217
   * @param active {@code false}: do not offer it any more (the server refuses it: {@code
   *     UNKNOWN_CODE})
   */
  public record Entry(
      String code, String name, BigDecimal price, String currency, boolean active) {}

  /** The active labor rate with this code. */
  public Optional<Entry> laborRate(String code) {
    return active(laborRates, code);
  }

  /** The active part with this SKU. */
  public Optional<Entry> part(String sku) {
    return active(parts, sku);
  }

  /** The active flat-rate task with this code. */
  public Optional<Entry> flatRateTask(String code) {
    return active(flatRateTasks, code);
  }

  private static Optional<Entry> active(List<Entry> entries, String code) {
    return entries.stream().filter(e -> e.active() && e.code().equals(code)).findFirst();
  }
}
