package org.fieldops.api;

/**
 * The caller's expected version (from {@code If-Match}) is not the current one: someone else
 * changed the resource since the caller read it (HTTP 412, with the current version).
 */
public class VersionMismatchException extends FieldOpsException {
  private static final long serialVersionUID = 1L;
  private final long currentVersion;

  public VersionMismatchException(long expectedVersion, long currentVersion) {
    super("version " + expectedVersion + " is stale; the current version is " + currentVersion);
    this.currentVersion = currentVersion;
  }

  public long currentVersion() {
    return currentVersion;
  }
}
