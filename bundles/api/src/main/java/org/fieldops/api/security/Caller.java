package org.fieldops.api.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller: who acts, with which roles. Services record {@link #username()} as the
 * author of every change they make.
 */
public record Caller(String username, Set<Role> roles) {
  public Caller {
    Objects.requireNonNull(username, "username");
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  /** The platform itself (scheduled work, demo data, first start). */
  public static Caller system() {
    return new Caller("system", Set.of(Role.ADMIN));
  }

  /** True if the caller has the role; an admin has every role. */
  public boolean has(Role role) {
    return roles.contains(Role.ADMIN) || roles.contains(role);
  }
}
