package org.fieldops.sync.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fieldops.api.sync.FieldEvent;

/** A fingerprint of what an event says, to tell a resent event from a reused opId. */
final class Payloads {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Payloads() {}

  static String hash(FieldEvent e) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("seq", e.seq());
    canonical.put("jobId", e.jobId());
    canonical.put("type", e.type());
    canonical.put("baseVersion", e.baseVersion());
    canonical.put("occurredAt", e.occurredAt() == null ? null : e.occurredAt().toString());
    canonical.put("data", e.data());
    try {
      byte[] bytes = JSON.writeValueAsBytes(canonical);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (JsonProcessingException | NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
