package org.fieldops.api;

import java.util.List;

/**
 * The request is well formed but not allowed in the resource's current state, or clashes with data
 * already stored (a taken username, an illegal status move). HTTP 409; {@link #allowed()} names the
 * moves that are allowed from here where that applies.
 */
public class StateConflictException extends FieldOpsException {
  private static final long serialVersionUID = 1L;
  private final List<String> allowed;

  public StateConflictException(String message) {
    this(message, List.of());
  }

  public StateConflictException(String message, List<String> allowed) {
    super(message);
    this.allowed = List.copyOf(allowed);
  }

  public List<String> allowed() {
    return allowed;
  }
}
