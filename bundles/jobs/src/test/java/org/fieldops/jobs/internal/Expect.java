package org.fieldops.jobs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.fieldops.api.FieldError;
import org.fieldops.api.ValidationException;
import org.junit.function.ThrowingRunnable;

/** Assertions on the domain exceptions. */
final class Expect {
  private Expect() {}

  /** The call fails validation naming exactly these fields. */
  static ValidationException invalid(ThrowingRunnable call, String... fields) {
    ValidationException e = assertThrows(ValidationException.class, call);
    assertEquals(e.errors().toString(), new TreeSet<>(Set.of(fields)), fields(e));
    for (FieldError error : e.errors()) {
      assertFalse(error.toString(), error.message().isBlank());
    }
    return e;
  }

  /** The call fails validation naming at least this field. */
  static ValidationException invalidOn(ThrowingRunnable call, String field) {
    ValidationException e = assertThrows(ValidationException.class, call);
    assertTrue(field + " not in " + e.errors(), fields(e).contains(field));
    return e;
  }

  static Set<String> fields(ValidationException e) {
    Set<String> out = new TreeSet<>();
    e.errors().forEach(err -> out.add(err.field()));
    return out;
  }
}
