package org.fieldops.jobs.internal;

import java.util.Arrays;
import org.slf4j.Logger;

/**
 * A diagnostic: durations of one step collected for a while, then logged as percentiles ("freshness
 * timing: ...") and started over. Only with the system property {@code fieldops.timing=true}
 * (bench/run.sh board sets it); otherwise {@link #enabled} is false and nothing is collected.
 */
final class Timing {
  static final boolean ENABLED = Boolean.getBoolean("fieldops.timing");
  private static final long WINDOW_NANOS = 10_000_000_000L;
  private static final int MAX = 200_000;

  private final String name;
  private final Logger log;
  private long[] samples = new long[1024];
  private int count;
  private long windowStart = System.nanoTime();

  Timing(String name, Logger log) {
    this.name = name;
    this.log = log;
  }

  boolean enabled() {
    return ENABLED;
  }

  synchronized void add(long nanos) {
    if (count == samples.length && count < MAX) {
      samples = Arrays.copyOf(samples, Math.min(MAX, count * 2));
    }
    if (count < samples.length) {
      samples[count++] = Math.max(0, nanos);
    }
    long now = System.nanoTime();
    if (now - windowStart >= WINDOW_NANOS) {
      long[] s = Arrays.copyOf(samples, count);
      Arrays.sort(s);
      log.info(
          "freshness timing: {} n={} p50={} p90={} p99={} max={} ms",
          name,
          s.length,
          ms(s, 50),
          ms(s, 90),
          ms(s, 99),
          s.length == 0 ? "-" : String.format("%.1f", s[s.length - 1] / 1e6));
      count = 0;
      windowStart = now;
    }
  }

  private static String ms(long[] sorted, int p) {
    if (sorted.length == 0) {
      return "-";
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return String.format("%.1f", sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6);
  }
}
