package org.fieldops.spi.checklist;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A checklist template. The pair ({@code id}, {@code version}) names one immutable definition:
 * change the items, raise the version. Jobs keep the definition they were dispatched with.
 *
 * @param id unique across providers: lower-case letters, digits, '.', '-', '_' (at most 100)
 */
public record ChecklistTemplate(String id, int version, String title, List<ChecklistItem> items) {
  public ChecklistTemplate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    if (!id.matches("[a-z0-9][a-z0-9._-]{0,99}")) {
      throw new IllegalArgumentException("bad template id: " + id);
    }
    if (version < 1) {
      throw new IllegalArgumentException("version must be 1 or more: " + id);
    }
    items = List.copyOf(items);
    Set<String> seen = new HashSet<>();
    for (ChecklistItem item : items) {
      if (!seen.add(item.id())) {
        throw new IllegalArgumentException("item " + item.id() + " twice in " + id);
      }
    }
  }
}
