package org.fieldops.api.jobs;

import java.util.List;
import org.fieldops.api.StateConflictException;

/** Completion refused: required checklist items are unanswered ({@code templateId/itemId} each). */
public class ChecklistIncompleteException extends StateConflictException {
  private static final long serialVersionUID = 1L;
  private final List<String> missing;

  public ChecklistIncompleteException(List<String> missing) {
    super("required checklist items are unanswered: " + String.join(", ", missing));
    this.missing = List.copyOf(missing);
  }

  public List<String> missing() {
    return missing;
  }
}
