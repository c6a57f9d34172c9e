package org.fieldops.sample.accounting.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.fieldops.spi.accounting.ExportResult;

/**
 * What an HTTP answer means for the outbox, in the style of the big accounting APIs: 2xx is done;
 * 408 (request timeout), 429 (too many requests) and 5xx are worth retrying, not before {@code
 * Retry-After} when the server gives one; every other status (3xx, other 4xx) will not work by
 * retrying and is permanent.
 */
final class HttpAnswer {
  private static final int SNIPPET = 300;

  private HttpAnswer() {}

  /**
   * @param where the endpoint without query or credentials, for messages
   * @param retryAfter the {@code Retry-After} header, if any
   */
  static ExportResult classify(
      int status,
      Optional<String> retryAfter,
      String body,
      String where,
      ObjectMapper json,
      Instant now) {
    if (status >= 200 && status < 300) {
      return ExportResult.success(idOf(body, json));
    }
    String message = "HTTP " + status + " from " + where + snippet(body);
    if (status == 408 || status == 429 || status >= 500) {
      return ExportResult.transientFailure(
          message, retryAfter.map(h -> retryAfter(h, now)).orElse(null));
    }
    return ExportResult.permanentFailure(message);
  }

  /** The remote's id of the document: a text or number {@code id} of a JSON object answer. */
  static String idOf(String body, ObjectMapper json) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode id = json.readTree(body).get("id");
      return id != null && (id.isTextual() || id.isNumber()) ? id.asText() : null;
    } catch (JsonProcessingException notJson) {
      return null;
    }
  }

  /**
   * {@code Retry-After} as delta-seconds or an HTTP-date (RFC 9110); {@code null} if neither. A
   * date in the past means "now".
   */
  static Duration retryAfter(String header, Instant now) {
    String h = header.strip();
    try {
      long seconds = Long.parseLong(h);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static String snippet(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String s = body.strip().replaceAll("\\s+", " ");
    return ": " + (s.length() > SNIPPET ? s.substring(0, SNIPPET) + "…" : s);
  }
}
