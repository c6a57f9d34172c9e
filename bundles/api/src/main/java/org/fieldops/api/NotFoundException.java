package org.fieldops.api;

/** The resource does not exist, or the caller may not see it (HTTP 404). */
public class NotFoundException extends FieldOpsException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String kind, String id) {
    super(kind + " " + id + " not found");
  }
}
