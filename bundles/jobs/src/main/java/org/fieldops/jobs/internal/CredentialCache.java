package org.fieldops.jobs.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.fieldops.api.security.Caller;

/**
 * Recently verified credentials, so a request does not pay a slow hash. Entries are keyed by an
 * HMAC-SHA-256 of username and password under a random key that lives only in memory (a heap dump
 * shows no password and no offline-crackable digest), expire after the configured time (at most a
 * minute), and are dropped for a user as soon as the account changes.
 */
final class CredentialCache {
  static final Duration MAX_TTL = Duration.ofSeconds(60);
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(Caller caller, Instant expires) {}

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

  Optional<Caller> get(String username, String password) {
    if (ttl.isZero() || ttl.isNegative()) {
      return Optional.empty();
    }
    String k = digest(username, password);
    Entry e = entries.get(k);
    if (e == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(e.expires())) {
      entries.remove(k, e);
      return Optional.empty();
    }
    return Optional.of(e.caller());
  }

  void put(String username, String password, Caller caller) {
    if (ttl.isZero() || ttl.isNegative()) {
      return;
    }
    Instant now = clock.instant();
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(e -> !now.isBefore(e.expires()));
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(digest(username, password), new Entry(caller, now.plus(ttl)));
  }

  void invalidate(String username) {
    entries.values().removeIf(e -> e.caller().username().equals(username));
  }

  private String digest(String username, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(username.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
