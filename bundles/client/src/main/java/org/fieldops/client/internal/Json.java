package org.fieldops.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The client's one JSON mapper (decimals stay decimals) and small readers. */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode parse(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  static String str(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static Long lng(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asLong();
  }

  static Integer integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asInt();
  }

  static Double dbl(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asDouble();
  }

  static boolean bool(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.asBoolean(false);
  }

  static BigDecimal decimal(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText());
  }

  static Instant instant(JsonNode n, String field) {
    String s = str(n, field);
    return s == null ? null : Instant.parse(s);
  }

  static List<String> strings(JsonNode n, String field) {
    List<String> out = new ArrayList<>();
    JsonNode v = n.get(field);
    if (v != null && v.isArray()) {
      v.forEach(e -> out.add(e.asText()));
    }
    return out;
  }

  static List<JsonNode> array(JsonNode n, String field) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode v = n.get(field);
    if (v != null && v.isArray()) {
      v.forEach(out::add);
    }
    return out;
  }
}
