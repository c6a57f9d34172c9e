package org.fieldops.api;

/**
 * The content is not of a type the platform accepts here, or its bytes are not what its declared
 * type says (HTTP 415).
 */
public class UnsupportedMediaException extends FieldOpsException {
  private static final long serialVersionUID = 1L;

  public UnsupportedMediaException(String message) {
    super(message);
  }
}
