package org.fieldops.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * The default {@link Transport}: {@code java.net.http.HttpClient} (HTTP/1.1), HTTP Basic
 * authentication, a connect timeout and a per-request timeout. Thread-safe.
 */
public final class HttpClientTransport implements Transport {
  private final URI apiBase;
  private final String authorization;
  private final Duration requestTimeout;
  private final HttpClient http;

  /**
   * A transport with a 10 s connect timeout and a 60 s request timeout.
   *
   * @param server the server ({@code http://localhost:8181}) or the API base ({@code
   *     http://localhost:8181/api/v1}); {@code /api/v1} is added when missing
   * @param username the technician's user name
   * @param password the password
   */
  public HttpClientTransport(URI server, String username, String password) {
    this(server, username, password, Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  /**
   * A transport with the given timeouts (see {@link #HttpClientTransport(URI, String, String)}).
   */
  public HttpClientTransport(
      URI server,
      String username,
      String password,
      Duration connectTimeout,
      Duration requestTimeout) {
    this.apiBase = apiBase(Objects.requireNonNull(server, "server"));
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The API base this transport calls, e.g. {@code http://localhost:8181/api/v1}. */
  public URI apiBase() {
    return apiBase;
  }

  static URI apiBase(URI server) {
    String s = server.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (!s.endsWith("/api/v1")) {
      s = s + "/api/v1";
    }
    return URI.create(s);
  }

  @Override
  public TransportResponse exchange(TransportRequest request) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(apiBase + request.path()))
            .timeout(requestTimeout)
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .method(
                request.method(),
                request.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (request.contentType() != null) {
      b.header("Content-Type", request.contentType());
    }
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException("interrupted: " + request);
      io.initCause(e);
      throw io;
    }
    Integer retryAfter = null;
    String header = r.headers().firstValue("Retry-After").orElse(null);
    if (header != null) {
      try {
        retryAfter = Integer.valueOf(header.trim());
      } catch (NumberFormatException httpDate) {
        retryAfter = null; // an HTTP date: the client's own backoff applies
      }
    }
    return new TransportResponse(
        r.statusCode(),
        r.headers().firstValue("Content-Type").orElse(null),
        retryAfter,
        r.body() == null ? new byte[0] : r.body());
  }

  @Override
  public String toString() {
    return "HttpClientTransport[" + apiBase + "]";
  }
}
