package org.fieldops.store;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-generated ids: time-ordered UUIDs (version 7 layout), so that ordering by id is creation
 * order and a page cursor can be the last id seen.
 */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The high 64 bits of the last id made: the next one sorts after it (RFC 9562, 6.2 method 1). */
  private static final AtomicLong LAST_HIGH = new AtomicLong();

  private Ids() {}

  /** A new id, e.g. {@code 0193a8b2-7c1d-7e4f-9a2b-3c4d5e6f7a8b}. */
  public static String next() {
    long millis = System.currentTimeMillis();
    long rand = RANDOM.nextLong();
    long fresh = (millis << 16) | 0x7000L | ((rand >>> 52) & 0x0FFFL);
    // Within one millisecond (or if the clock steps back) the 12 bits after the time count up from
    // the
    // last id, carrying into the time when they run out, so ids of this JVM always sort in creation
    // order.
    long high = LAST_HIGH.updateAndGet(last -> fresh > last ? fresh : successor(last));
    long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  private static long successor(long high) {
    return (high & 0x0FFFL) == 0x0FFFL ? (((high >>> 16) + 1) << 16) | 0x7000L : high + 1;
  }

  /** True if {@code s} has the shape of an id (so it can be used as a cursor or key). */
  public static boolean isWellFormed(String s) {
    return s != null
        && s.length() == 36
        && s.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }
}
