package org.fieldops.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.fieldops.client.SyncError;
import org.fieldops.client.SyncException;
import org.fieldops.client.Transport;
import org.fieldops.client.TransportRequest;
import org.fieldops.client.TransportResponse;

/** The REST calls of a technician's device, with every failure turned into a {@link SyncError}. */
final class ServerApi {
  private final Transport transport;
  private final Clock clock;

  ServerApi(Transport transport, Clock clock) {
    this.transport = transport;
    this.clock = clock;
  }

  JsonNode packet(int days) throws SyncException {
    return json(call(TransportRequest.get("/me/packet?days=" + days)), 200, "packet");
  }

  /** A delta, or {@code null} when the server does not know the cursor (400 on {@code since}). */
  JsonNode delta(String cursor) throws SyncException {
    TransportResponse r = call(TransportRequest.get("/me/packet?since=" + encode(cursor)));
    if (r.status() == 400) {
      return null;
    }
    return json(r, 200, "packet delta");
  }

  /** The server's results for a batch of events. */
  JsonNode events(String deviceId, List<ObjectNode> events) throws SyncException {
    ObjectNode body = Json.object().put("deviceId", deviceId);
    ArrayNode list = body.putArray("events");
    events.forEach(list::add);
    TransportResponse r =
        call(new TransportRequest("POST", "/me/events", "application/json", Json.bytes(body)));
    return json(r, 200, "upload of " + events.size() + " events").get("results");
  }

  /**
   * Uploads a medium.
   *
   * @return {@code null} when stored (201) or already there (200); else the refusal (a 4xx that
   *     resending cannot change: bad hash, too large, not an image)
   */
  SyncError media(String sha256, byte[] bytes, String contentType) throws SyncException {
    TransportResponse r = call(new TransportRequest("PUT", "/media/" + sha256, contentType, bytes));
    if (r.status() == 200 || r.status() == 201) {
      return null;
    }
    SyncError e = error(r, "upload of medium " + sha256);
    if (e.retryable() || r.status() == 401 || r.status() == 403) {
      throw new SyncException(e);
    }
    return e;
  }

  /** The server's sync status of this device, or {@code null} when it has none yet (404). */
  JsonNode syncStatus(String deviceId) throws SyncException {
    TransportResponse r =
        call(TransportRequest.get("/me/sync-status?deviceId=" + encode(deviceId)));
    if (r.status() == 404) {
      return null;
    }
    return json(r, 200, "sync status");
  }

  private TransportResponse call(TransportRequest request) throws SyncException {
    try {
      return transport.exchange(request);
    } catch (IOException e) {
      throw new SyncException(
          new SyncError(
              SyncError.Kind.NETWORK,
              0,
              request.method() + " " + request.path().replaceAll("\\?.*", "") + ": " + e,
              true,
              null,
              clock.instant()),
          e);
    } catch (RuntimeException e) {
      throw new SyncException(
          new SyncError(
              SyncError.Kind.NETWORK,
              0,
              "the transport failed on " + request.method() + " " + request.path() + ": " + e,
              true,
              null,
              clock.instant()),
          e);
    }
  }

  private JsonNode json(TransportResponse r, int expected, String what) throws SyncException {
    if (r.status() != expected) {
      throw new SyncException(error(r, what));
    }
    try {
      JsonNode n = Json.parse(r.body());
      if (n == null || !n.isObject()) {
        throw new IOException("not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new SyncException(
          new SyncError(
              SyncError.Kind.PROTOCOL,
              r.status(),
              what + ": the answer is not the expected JSON (" + e.getMessage() + ")",
              false,
              null,
              clock.instant()),
          e);
    }
  }

  SyncError error(TransportResponse r, String what) {
    int s = r.status();
    String detail = problem(r);
    SyncError.Kind kind;
    boolean retryable;
    if (s == 429) {
      kind = SyncError.Kind.RATE_LIMITED;
      retryable = true;
    } else if (s >= 500) {
      kind = SyncError.Kind.SERVER;
      retryable = true;
    } else if (s == 401) {
      kind = SyncError.Kind.UNAUTHORIZED;
      retryable = false;
    } else if (s == 403) {
      kind = SyncError.Kind.FORBIDDEN;
      retryable = false;
    } else if (s == 408) {
      kind = SyncError.Kind.NETWORK;
      retryable = true;
    } else if (s >= 400) {
      kind = SyncError.Kind.REFUSED;
      retryable = false;
    } else {
      kind = SyncError.Kind.PROTOCOL;
      retryable = false;
    }
    return new SyncError(
        kind,
        s,
        what + ": HTTP " + s + (detail == null ? "" : " " + detail),
        retryable,
        r.retryAfterSeconds(),
        clock.instant());
  }

  /** {@code title: detail} of a problem+json body, or a short piece of another body. */
  private static String problem(TransportResponse r) {
    if (r.body().length == 0) {
      return null;
    }
    try {
      JsonNode n = Json.parse(r.body());
      if (n != null && n.isObject() && (n.has("title") || n.has("detail"))) {
        String title = Json.str(n, "title");
        String detail = Json.str(n, "detail");
        return title == null ? detail : detail == null ? title : title + ": " + detail;
      }
    } catch (IOException notJson) {
      // fall through: show the start of the body
    }
    String text = new String(r.body(), StandardCharsets.UTF_8).strip();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
