package org.fieldops.spi.conflict;

import java.util.Objects;

/**
 * What a {@link ConflictPolicy} decided. Use the factories; {@code null} from {@link
 * ConflictPolicy#decide} means the policy passes.
 *
 * @param kind the decision
 * @param value for {@link Kind#MERGE}, the value to store (at most 10,000 characters); else {@code
 *     null}
 */
public record Decision(Kind kind, String value) {

  /** The kinds of decision. */
  public enum Kind {
    /** keep the server's value; the device's change is recorded but not applied (outcome MERGED) */
    KEEP_SERVER,
    /** store the device's value (outcome MERGED) */
    TAKE_DEVICE,
    /** store {@link Decision#value()}, e.g. both texts combined (outcome MERGED) */
    MERGE,
    /** let the office decide (outcome REVIEW) */
    REVIEW
  }

  public Decision {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.MERGE) {
      Objects.requireNonNull(value, "a MERGE decision needs a value");
    } else {
      value = null;
    }
  }

  public static Decision keepServer() {
    return new Decision(Kind.KEEP_SERVER, null);
  }

  public static Decision takeDevice() {
    return new Decision(Kind.TAKE_DEVICE, null);
  }

  public static Decision merge(String value) {
    return new Decision(Kind.MERGE, value);
  }

  public static Decision review() {
    return new Decision(Kind.REVIEW, null);
  }
}
