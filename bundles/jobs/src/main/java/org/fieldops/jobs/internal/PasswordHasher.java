package org.fieldops.jobs.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted, deliberately slow password hashes: PBKDF2 with HMAC-SHA-256 from the JDK's maintained
 * provider (SunJCE), 16 random bytes of salt, the iteration count stored with the hash so it can be
 * raised later. Format: {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (Base64).
 */
final class PasswordHasher {
  static final int DEFAULT_ITERATIONS = 310_000;
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final String PREFIX = "pbkdf2-sha256";

  private final int iterations;
  private final SecureRandom random = new SecureRandom();

  PasswordHasher(int iterations) {
    if (iterations < 1_000) {
      throw new IllegalArgumentException("too few iterations: " + iterations);
    }
    this.iterations = iterations;
  }

  String hash(String password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, iterations);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX
        + "$"
        + iterations
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  /** Constant-time check of a password against a stored hash; false for a malformed hash. */
  boolean verify(String password, String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$");
    if (parts.length != 4 || !PREFIX.equals(parts[0])) {
      return false;
    }
    try {
      int n = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      return MessageDigest.isEqual(expected, derive(password, salt, n));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Spends the time of one verification, so that unknown usernames answer as slowly as known ones.
   */
  void burn(String password) {
    derive(password, new byte[16], iterations);
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }
}
