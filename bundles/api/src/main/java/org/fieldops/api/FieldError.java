package org.fieldops.api;

import java.util.Objects;

/**
 * One problem with one field of a request, as shown to the caller.
 *
 * @param field the field's path in the request body, e.g. {@code name} or {@code events[3].opId}
 * @param message what is wrong, in words a user understands
 */
public record FieldError(String field, String message) {
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }
}
