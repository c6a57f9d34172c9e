package org.fieldops.spi.checklist;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One item of a checklist template.
 *
 * @param id unique within its template: lower-case letters, digits, '-', '_' (at most 64)
 * @param min lowest allowed number (NUMBER only), or {@code null}
 * @param max highest allowed number (NUMBER only), or {@code null}
 * @param unit shown with a number, e.g. {@code psi} (NUMBER only), or {@code null}
 * @param choices the allowed answers (CHOICE only, at least one)
 */
public record ChecklistItem(
    String id,
    String label,
    ItemType type,
    boolean required,
    BigDecimal min,
    BigDecimal max,
    String unit,
    List<String> choices) {
  public ChecklistItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(type, "type");
    if (!id.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException("bad item id: " + id);
    }
    choices = choices == null ? List.of() : List.copyOf(choices);
    if (type == ItemType.CHOICE && choices.isEmpty()) {
      throw new IllegalArgumentException("a CHOICE item needs choices: " + id);
    }
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw new IllegalArgumentException("min above max: " + id);
    }
  }
}
