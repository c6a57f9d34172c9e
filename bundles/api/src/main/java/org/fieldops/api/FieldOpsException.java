package org.fieldops.api;

/**
 * Base of the domain exceptions that services throw for a caller's mistake or a state rule. The
 * REST layer maps each subclass to one HTTP status; anything else is an internal error.
 */
public abstract class FieldOpsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected FieldOpsException(String message) {
    super(message, null, false, false);
  }
}
