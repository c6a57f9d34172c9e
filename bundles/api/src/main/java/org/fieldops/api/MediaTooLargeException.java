package org.fieldops.api;

/** A request body (a media upload) is larger than the configured cap (HTTP 413). */
public class MediaTooLargeException extends FieldOpsException {
  private static final long serialVersionUID = 1L;
  private final long maxBytes;

  public MediaTooLargeException(long maxBytes) {
    super("the body is larger than the limit of " + maxBytes + " bytes");
    this.maxBytes = maxBytes;
  }

  /** The cap in force, in bytes. */
  public long maxBytes() {
    return maxBytes;
  }
}
