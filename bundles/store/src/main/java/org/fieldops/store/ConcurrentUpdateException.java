package org.fieldops.store;

/**
 * Another transaction changed a row this one changed, between the read and the commit. The caller
 * may retry, or report a version mismatch.
 */
public class ConcurrentUpdateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConcurrentUpdateException(Throwable cause) {
    super("concurrent update", cause);
  }
}
