package org.fieldops.client;

import java.util.Objects;

/**
 * The server's answer to one {@link TransportRequest}.
 *
 * @param status the HTTP status code
 * @param contentType the {@code Content-Type} header, or {@code null}
 * @param retryAfterSeconds the {@code Retry-After} header in seconds (429 and 503), or {@code null}
 *     when absent or not a number of seconds
 * @param body the body's bytes (empty, never {@code null})
 */
public record TransportResponse(
    int status, String contentType, Integer retryAfterSeconds, byte[] body) {
  public TransportResponse {
    Objects.requireNonNull(body, "body");
  }

  @Override
  public String toString() {
    return "HTTP " + status + " (" + body.length + " bytes)";
  }
}
