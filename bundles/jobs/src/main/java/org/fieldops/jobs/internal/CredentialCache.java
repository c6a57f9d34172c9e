package org.fieldops.jobs.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.fieldops.api.security.Caller;

/**
 * Recently verified credentials, so a request does not pay a slow hash. Entries are keyed by an
 * HMAC-SHA-256 of username and password under a random key that lives only in memory (a heap dump
 * shows no password and no offline-crackable digest), and are dropped for a user as soon as the
 * account changes on this node.
 *
 * <p>An entry is trusted as it is for the configured time (at most a minute: the delay after which
 * a change made on another node counts here). After that it is <em>stale</em>: the caller reads the
 * account row and, if the row still holds the very password hash the password was verified against
 * (compared by an HMAC of it, never the hash itself) and the account is enabled, {@link #renew}s it
 * for another TTL without hashing. A new hash is due {@link #REHASH_AFTER} (less up to a sixth, so
 * that entries made together do not all expire together) after the last one.
 */
final class CredentialCache {
  static final Duration MAX_TTL = Duration.ofSeconds(60);
  static final Duration REHASH_AFTER = Duration.ofHours(1);
  private static final int MAX_ENTRIES = 10_000;

  /** A cached credential: {@code fresh} ones are used as they are, stale ones checked first. */
  record Hit(Caller caller, boolean fresh, String accountHash) {}

  private record Entry(Caller caller, Instant trustedUntil, Instant renewableUntil, String hash) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration ttl;

  CredentialCache(Duration ttl, Clock clock) {
    this.ttl = ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl;
    this.clock = clock;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /** The entry of this username and password, fresh or stale; empty if none (or expired). */
  Optional<Hit> lookup(String username, String password) {
    if (ttl.isZero() || ttl.isNegative()) {
      return Optional.empty();
    }
    String k = digest(username, password);
    Entry e = entries.get(k);
    if (e == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!now.isBefore(e.renewableUntil())) {
      entries.remove(k, e);
      return Optional.empty();
    }
    return Optional.of(new Hit(e.caller(), now.isBefore(e.trustedUntil()), e.hash()));
  }

  /**
   * True if {@code storedHash} (the account row's password hash now) is the one the cached entry
   * was verified against.
   */
  boolean sameHash(Hit hit, String storedHash) {
    return storedHash != null
        && MessageDigest.isEqual(
            hit.accountHash().getBytes(StandardCharsets.US_ASCII),
            fingerprint(storedHash).getBytes(StandardCharsets.US_ASCII));
  }

  /** After a password hash verified {@code password} against {@code storedHash}. */
  void put(String username, String password, Caller caller, String storedHash) {
    if (ttl.isZero() || ttl.isNegative()) {
      return;
    }
    Instant now = clock.instant();
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(e -> !now.isBefore(e.renewableUntil()));
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    long spread = REHASH_AFTER.toMillis() / 6;
    Instant rehash =
        now.plus(REHASH_AFTER).minusMillis(ThreadLocalRandom.current().nextLong(spread + 1));
    entries.put(
        digest(username, password),
        new Entry(caller, min(now.plus(ttl), rehash), rehash, fingerprint(storedHash)));
  }

  /** A stale entry checked against the account row: trusted for another TTL (no new hash). */
  void renew(String username, String password, Caller caller) {
    String k = digest(username, password);
    Instant now = clock.instant();
    entries.computeIfPresent(
        k,
        (x, e) ->
            new Entry(
                caller, min(now.plus(ttl), e.renewableUntil()), e.renewableUntil(), e.hash()));
  }

  void invalidate(String username) {
    entries.values().removeIf(e -> e.caller().username().equals(username));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private String fingerprint(String storedHash) {
    return hmac("hash", storedHash == null ? "" : storedHash);
  }

  private String digest(String username, String password) {
    return hmac(username, password);
  }

  private String hmac(String first, String second) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(first.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return HexFormat.of().formatHex(mac.doFinal(second.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
