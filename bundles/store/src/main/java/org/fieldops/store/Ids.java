package org.fieldops.store;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Server-generated ids: time-ordered UUIDs (version 7 layout), so that ordering by id is creation
 * order and a page cursor can be the last id seen.
 */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** A new id, e.g. {@code 0193a8b2-7c1d-7e4f-9a2b-3c4d5e6f7a8b}. */
  public static String next() {
    long millis = System.currentTimeMillis();
    long rand = RANDOM.nextLong();
    long high = (millis << 16) | 0x7000L | ((rand >>> 52) & 0x0FFFL);
    long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** True if {@code s} has the shape of an id (so it can be used as a cursor or key). */
  public static boolean isWellFormed(String s) {
    return s != null && s.length() == 36 && s.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }
}
