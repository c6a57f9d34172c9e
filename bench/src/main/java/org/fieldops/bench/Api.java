package org.fieldops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small JSON-over-HTTP client for the FieldOps API (HTTP/1.1, Basic authentication). */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A user's credentials, with the {@code Authorization} header computed once. */
  record Login(String username, String password, String header) {
    static Login of(String username, String password) {
      String token =
          Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
      return new Login(username, password, "Basic " + token);
    }
  }

  /** A response: status and body (parsed lazily). */
  record Reply(int status, byte[] body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException(
            "not JSON (HTTP " + status + "): " + new String(body, StandardCharsets.UTF_8), e);
      }
    }

    Reply expect(int... statuses) {
      for (int s : statuses) {
        if (s == status) {
          return this;
        }
      }
      throw new IllegalStateException(
          "HTTP " + status + ": " + new String(body, StandardCharsets.UTF_8));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpClient http;
  private final String base;

  Api(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  String base() {
    return base;
  }

  Reply get(String path, Login who) {
    return send(request(path, who).GET().build());
  }

  Reply post(String path, Login who, Object body) {
    return send(
        request(path, who)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)))
            .build());
  }

  Reply put(String path, Login who, Object body) {
    return send(
        request(path, who)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(body)))
            .build());
  }

  Reply patch(String path, Login who, String ifMatch, Object body) {
    return send(
        request(path, who)
            .header("Content-Type", "application/json")
            .header("If-Match", ifMatch)
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes(body)))
            .build());
  }

  /** Is the API up and its database healthy? */
  boolean healthy() {
    try {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void awaitHealthy(Duration max) throws InterruptedException {
    long until = System.nanoTime() + max.toNanos();
    while (!healthy()) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("the API at " + base + " did not become healthy");
      }
      Thread.sleep(500);
    }
  }

  private HttpRequest.Builder request(String path, Login who) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5));
    if (who != null) {
      b.header("Authorization", who.header());
    }
    return b;
  }

  private static byte[] bytes(Object body) {
    if (body instanceof byte[] b) {
      return b;
    }
    try {
      return body instanceof String s
          ? s.getBytes(StandardCharsets.UTF_8)
          : JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
