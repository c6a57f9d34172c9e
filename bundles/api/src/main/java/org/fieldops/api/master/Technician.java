package org.fieldops.api.master;

import java.time.Instant;
import java.util.List;

/**
 * A field technician.
 *
 * @param username the login account linked to this technician (for {@code /me/*}), or {@code null}
 * @param skills skill tags, e.g. {@code hvac}, {@code refrigerant}; assignment warns when one is
 *     missing
 * @param active inactive technicians get no new work and no {@code /me/*} access
 */
public record Technician(
    String id,
    String name,
    String username,
    List<String> skills,
    boolean active,
    long version,
    Instant createdAt,
    Instant updatedAt) {
  public Technician {
    skills = List.copyOf(skills);
  }
}
