package org.fieldops.rest.internal;

import javax.ws.rs.core.EntityTag;

/** Strong ETags carry the resource version; {@code If-Match} must name it. */
final class Etags {
  private Etags() {}

  static EntityTag of(long version) {
    return new EntityTag(Long.toString(version));
  }

  /**
   * The version an {@code If-Match} header names.
   *
   * @throws ApiProblem 428 if missing, 400 if it names no version
   */
  static long expectedVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank()) {
      throw ApiProblem.preconditionRequired("send If-Match with the ETag of the version you read");
    }
    String v = ifMatch.strip();
    if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      long version = Long.parseLong(v);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ApiProblem(
        400,
        "Bad Request",
        "If-Match must be the ETag of a version, e.g. \"3\"",
        java.util.Map.of(
            "errors",
            java.util.List.of(
                java.util.Map.of("field", "If-Match", "message", "is not a version ETag"))),
        java.util.Map.of());
  }
}
