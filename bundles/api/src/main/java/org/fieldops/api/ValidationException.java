package org.fieldops.api;

import java.util.List;

/** The input is malformed or invalid; lists every field at fault (HTTP 400). */
public class ValidationException extends FieldOpsException {
  private static final long serialVersionUID = 1L;
  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(errors.isEmpty() ? "invalid input" : describe(errors));
    this.errors = List.copyOf(errors);
  }

  /** One error on one field. */
  public static ValidationException of(String field, String message) {
    return new ValidationException(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String describe(List<FieldError> errors) {
    FieldError first = errors.get(0);
    String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
    return first.field() + ": " + first.message() + more;
  }
}
