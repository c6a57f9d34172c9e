package org.fieldops.spi.accounting;

import java.time.Duration;
import java.util.Objects;

/**
 * What a delivery attempt achieved.
 *
 * @param kind SUCCESS, TRANSIENT (try again later) or PERMANENT (will never work as is)
 * @param message for failures, what went wrong (shown to finance; no secrets)
 * @param externalId on success, the accounting system's id for the document, if any
 * @param retryAfter for TRANSIENT, the earliest retry the remote asked for (e.g. 429 Retry-After),
 *     or {@code null}
 */
public record ExportResult(Kind kind, String message, String externalId, Duration retryAfter) {

  /** The kinds of result. */
  public enum Kind {
    SUCCESS,
    TRANSIENT,
    PERMANENT
  }

  public ExportResult {
    Objects.requireNonNull(kind, "kind");
  }

  public static ExportResult success(String externalId) {
    return new ExportResult(Kind.SUCCESS, null, externalId, null);
  }

  public static ExportResult transientFailure(String message, Duration retryAfter) {
    return new ExportResult(Kind.TRANSIENT, message, null, retryAfter);
  }

  public static ExportResult permanentFailure(String message) {
    return new ExportResult(Kind.PERMANENT, message, null, null);
  }
}
