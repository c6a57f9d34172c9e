package org.fieldops.api.security;

import java.time.Instant;
import java.util.List;

/**
 * A login account of the platform's user store. The password is never part of it.
 *
 * @param roles role ids ({@link Role#id()}), sorted
 */
public record User(
    String username,
    List<String> roles,
    boolean disabled,
    long version,
    Instant createdAt,
    Instant updatedAt) {
  public User {
    roles = List.copyOf(roles);
  }
}
