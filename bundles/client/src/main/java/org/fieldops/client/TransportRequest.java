package org.fieldops.client;

import java.util.Objects;

/**
 * One HTTP request of the client.
 *
 * @param method {@code GET}, {@code POST} or {@code PUT}
 * @param path relative to the API base, starting with {@code /}, query string included
 * @param contentType the body's media type ({@code application/json}, {@code image/png}, ...), or
 *     {@code null} without a body
 * @param body the body's bytes, or {@code null}
 */
public record TransportRequest(String method, String path, String contentType, byte[] body) {
  public TransportRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
    if ((body == null) != (contentType == null)) {
      throw new IllegalArgumentException("a body needs a content type and vice versa");
    }
  }

  /** A request without a body. */
  public static TransportRequest get(String path) {
    return new TransportRequest("GET", path, null, null);
  }

  @Override
  public String toString() {
    return method
        + " "
        + path
        + (body == null ? "" : " (" + body.length + " bytes " + contentType + ")");
  }
}
