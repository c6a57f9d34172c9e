package org.fieldops.bench;

import java.util.Arrays;
import java.util.Locale;

/** Latency percentiles (nearest rank) of a set of samples in nanoseconds. */
final class Stats {
  private final long[] sorted;

  Stats(long[] nanos) {
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** The p-th percentile (0 < p <= 100) in milliseconds. */
  double percentileMillis(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] / 1e6;
  }

  double meanMillis() {
    return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(0) / 1e6;
  }

  double maxMillis() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
  }

  /** {@code p50 12.3 ms, p90 …, p99 …, max …, mean … (n samples)}. */
  String summary() {
    return String.format(
        Locale.ROOT,
        "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, mean %.1f ms (%d samples)",
        percentileMillis(50),
        percentileMillis(90),
        percentileMillis(99),
        maxMillis(),
        meanMillis(),
        count());
  }
}
