package org.fieldops.rest.internal;

import java.util.Map;

/**
 * An HTTP-level problem the REST layer itself detects (authentication, role, media type,
 * preconditions, query parameters), rendered as {@code application/problem+json}.
 */
final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final String title;
  final transient Map<String, Object> extensions;
  final transient Map<String, String> headers;

  ApiProblem(int status, String title, String detail) {
    this(status, title, detail, Map.of(), Map.of());
  }

  ApiProblem(
      int status,
      String title,
      String detail,
      Map<String, Object> extensions,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.extensions = extensions;
    this.headers = headers;
  }

  static ApiProblem unauthorized(String detail) {
    return new ApiProblem(
        401,
        "Unauthorized",
        detail,
        Map.of(),
        Map.of("WWW-Authenticate", "Basic realm=\"FieldOps\", charset=\"UTF-8\""));
  }

  static ApiProblem forbidden(String detail) {
    return new ApiProblem(403, "Forbidden", detail);
  }

  static ApiProblem unsupportedMediaType(String detail) {
    return new ApiProblem(415, "Unsupported Media Type", detail);
  }

  static ApiProblem preconditionRequired(String detail) {
    return new ApiProblem(428, "Precondition Required", detail);
  }
}
