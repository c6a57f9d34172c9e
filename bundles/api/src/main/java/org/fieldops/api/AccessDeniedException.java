package org.fieldops.api;

/**
 * The caller is authenticated but may not use this resource, e.g. another technician's device (HTTP
 * 403).
 */
public class AccessDeniedException extends FieldOpsException {
  private static final long serialVersionUID = 1L;

  public AccessDeniedException(String message) {
    super(message);
  }
}
