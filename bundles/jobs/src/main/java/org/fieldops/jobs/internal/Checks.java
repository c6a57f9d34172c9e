package org.fieldops.jobs.internal;

import java.util.ArrayList;
import java.util.List;
import org.fieldops.api.FieldError;
import org.fieldops.api.ValidationException;

/** Collects every problem of one input, then fails once naming them all. */
final class Checks {
  static final int NAME_MAX = 200;
  static final int TEXT_MAX = 10_000;

  private final List<FieldError> errors = new ArrayList<>();

  /** A required or optional piece of text of at most {@code max} characters. */
  Checks text(String field, String value, boolean required, int max) {
    if (value == null || value.isBlank()) {
      if (required) {
        add(field, value == null ? "is required" : "must not be blank");
      }
    } else if (value.length() > max) {
      add(field, "must be at most " + max + " characters");
    }
    return this;
  }

  Checks check(boolean ok, String field, String message) {
    if (!ok) {
      add(field, message);
    }
    return this;
  }

  Checks add(String field, String message) {
    errors.add(new FieldError(field, message));
    return this;
  }

  boolean hasErrorOn(String field) {
    return errors.stream().anyMatch(e -> e.field().equals(field));
  }

  void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
