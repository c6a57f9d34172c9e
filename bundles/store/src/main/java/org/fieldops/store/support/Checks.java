package org.fieldops.store.support;

import java.util.ArrayList;
import java.util.List;
import org.fieldops.api.FieldError;
import org.fieldops.api.ValidationException;

/** Collects every problem of one input, then fails once naming them all. */
public final class Checks {
  public static final int NAME_MAX = 200;
  public static final int TEXT_MAX = 10_000;

  private final List<FieldError> errors = new ArrayList<>();

  /** A required or optional piece of text of at most {@code max} characters. */
  public Checks text(String field, String value, boolean required, int max) {
    if (value == null || value.isBlank()) {
      if (required) {
        add(field, value == null ? "is required" : "must not be blank");
      }
    } else if (value.length() > max) {
      add(field, "must be at most " + max + " characters");
    }
    return this;
  }

  public Checks check(boolean ok, String field, String message) {
    if (!ok) {
      add(field, message);
    }
    return this;
  }

  public Checks add(String field, String message) {
    errors.add(new FieldError(field, message));
    return this;
  }

  public boolean hasErrorOn(String field) {
    return errors.stream().anyMatch(e -> e.field().equals(field));
  }

  /** True for an upper-case ISO 4217 code the JDK knows, e.g. {@code USD}. */
  public static boolean isCurrency(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) {
      return false;
    }
    try {
      java.util.Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A money amount as shown: no trailing zeros beyond the cents, e.g. {@code 125.5000} is {@code
   * 125.50}.
   */
  public static java.math.BigDecimal money(java.math.BigDecimal amount) {
    if (amount == null) {
      return null;
    }
    java.math.BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.setScale(Math.max(2, stripped.scale()));
  }

  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
