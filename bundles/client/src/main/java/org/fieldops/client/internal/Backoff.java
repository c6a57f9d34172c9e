package org.fieldops.client.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter, capped: the n-th consecutive failure waits a random time
 * between 0 and {@code min(cap, initial * 2^(n-1))}, so that many phones coming back at once do not
 * hit the server in step. A server's {@code Retry-After} is a floor. {@link #reset} after a
 * success.
 *
 * <p>Not thread-safe: owned by the sync thread.
 */
final class Backoff {
  private final Duration initial;
  private final Duration cap;
  private final DoubleSupplier random;
  private int failures;

  /**
   * @param random uniform in [0, 1)
   */
  Backoff(Duration initial, Duration cap, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= cap: " + initial + ", " + cap);
    }
    this.initial = initial;
    this.cap = cap;
    this.random = Objects.requireNonNull(random);
  }

  /** The ceiling of the next wait: {@code min(cap, initial * 2^failures)}. */
  synchronized Duration ceiling() {
    long base = initial.toMillis();
    int shift = Math.min(failures, 40);
    long ceiling = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
    return Duration.ofMillis(Math.min(ceiling, cap.toMillis()));
  }

  /**
   * Counts a failure and returns how long to wait before the next try.
   *
   * @param retryAfterSeconds the server's {@code Retry-After}, or {@code null}
   */
  synchronized Duration failure(Integer retryAfterSeconds) {
    Duration ceiling = ceiling();
    failures++;
    Duration wait = Duration.ofMillis((long) (random.getAsDouble() * ceiling.toMillis()));
    if (retryAfterSeconds != null && retryAfterSeconds > 0) {
      Duration floor = Duration.ofSeconds(retryAfterSeconds);
      if (wait.compareTo(floor) < 0) {
        wait = floor;
      }
    }
    return wait;
  }

  /** Consecutive failures since the last {@link #reset}. */
  synchronized int failures() {
    return failures;
  }

  synchronized void reset() {
    failures = 0;
  }
}
