package org.fieldops.shell.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.fieldops.api.PageRequest;
import org.fieldops.api.jobs.JobStatus;

/**
 * Parses what an operator typed into the values the API takes, with one-line messages for mistakes.
 */
final class ConsoleInput {
  private ConsoleInput() {}

  /** A mistake in a command's arguments; the message is shown to the operator as is. */
  static final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
      super(message, null, false, false);
    }
  }

  /** The status names, for messages and completion. */
  static String statusNames() {
    return Arrays.stream(JobStatus.values()).map(Enum::name).collect(Collectors.joining(", "));
  }

  /** A status, case-insensitive ({@code on-hold} works too). */
  static JobStatus status(String value) {
    String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return JobStatus.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new BadInput("Unknown status '" + value + "'. Use one of: " + statusNames() + ".");
    }
  }

  /** A day as YYYY-MM-DD. */
  static LocalDate date(String value) {
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new BadInput("Bad date '" + value + "'. Use YYYY-MM-DD, e.g. 2026-12-01.");
    }
  }

  static int limit(int value) {
    if (value < 1 || value > PageRequest.MAX_LIMIT) {
      throw new BadInput("Bad --limit " + value + ". Use 1 to " + PageRequest.MAX_LIMIT + ".");
    }
    return value;
  }
}
