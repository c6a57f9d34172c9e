package org.fieldops.shell.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.fieldops.api.FieldOpsException;
import org.fieldops.api.master.Technician;
import org.fieldops.api.master.TechnicianService;

/**
 * Technician names for display, looked up once per command, and technician ids for what an operator
 * typed.
 */
final class TechnicianNames {
  private final TechnicianService technicians;
  private final Map<String, String> names = new HashMap<>();

  TechnicianNames(TechnicianService technicians) {
    this.technicians = technicians;
  }

  /** The technician's name, or the id itself when there is no such technician. */
  String nameOf(String id) {
    return names.computeIfAbsent(
        id,
        key -> {
          try {
            return technicians.get(key).name();
          } catch (FieldOpsException gone) {
            return key;
          }
        });
  }

  /** The names, comma-separated, in assignment order. */
  String namesOf(List<String> ids) {
    return ids.stream().map(this::nameOf).collect(Collectors.joining(", "));
  }

  /** The technician with this id, or else the one linked to this username. */
  Optional<String> idOf(String idOrUsername) {
    String value = idOrUsername.trim();
    try {
      Technician byId = technicians.get(value);
      names.put(byId.id(), byId.name());
      return Optional.of(byId.id());
    } catch (FieldOpsException notAnId) {
      return technicians.findByUsername(value).map(Technician::id);
    }
  }
}
