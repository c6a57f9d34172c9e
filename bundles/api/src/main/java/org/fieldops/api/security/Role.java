package org.fieldops.api.security;

import java.util.Locale;
import java.util.Optional;

/** The roles of API.md's role table. {@link #ADMIN} may do everything. */
public enum Role {
  ADMIN,
  DISPATCHER,
  TECHNICIAN,
  FINANCE;

  /** The role's name in the API: lower case, e.g. {@code dispatcher}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role with this API name, if any. */
  public static Optional<Role> fromId(String id) {
    for (Role role : values()) {
      if (role.id().equals(id)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
