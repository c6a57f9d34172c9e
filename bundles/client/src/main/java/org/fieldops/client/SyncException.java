package org.fieldops.client;

/** A sync or packet download that did not complete; {@link #error()} says why. */
public class SyncException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient SyncError error;

  public SyncException(SyncError error) {
    super(
        error.kind()
            + (error.httpStatus() > 0 ? " (HTTP " + error.httpStatus() + ")" : "")
            + ": "
            + error.message());
    this.error = error;
  }

  public SyncException(SyncError error, Throwable cause) {
    this(error);
    initCause(cause);
  }

  /** Why. */
  public SyncError error() {
    return error;
  }
}
