package org.fieldops.store.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fieldops.api.FieldError;
import org.fieldops.api.ValidationException;

/**
 * JSON merge patch (RFC 7396) onto a draft record: the patch may only name the draft's own fields;
 * read-only fields and unknown fields are refused by name (no mass assignment), and the result is
 * typed back into the draft so the creation rules can validate it.
 */
public final class MergePatch {
  public static final Set<String> ALWAYS_READ_ONLY =
      Set.of("id", "version", "createdAt", "updatedAt");

  private final ObjectMapper mapper;

  public MergePatch(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public <D> D apply(D current, Map<String, Object> patch, Class<D> type, Set<String> readOnly) {
    if (patch == null) {
      throw ValidationException.of("body", "must be a JSON object");
    }
    ObjectNode node = mapper.valueToTree(current);
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, Object> entry : patch.entrySet()) {
      String field = entry.getKey();
      if (readOnly.contains(field) || ALWAYS_READ_ONLY.contains(field)) {
        errors.add(new FieldError(field, "is read-only"));
      } else if (!node.has(field)) {
        errors.add(new FieldError(field, "is not a field of this resource"));
      } else {
        JsonNode value =
            entry.getValue() == null
                ? NullNode.getInstance()
                : mapper.valueToTree(entry.getValue());
        node.set(field, merge(node.get(field), value));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    try {
      return mapper.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw ValidationException.of(path(e), "has the wrong type or format");
    }
  }

  /** RFC 7396: objects merge member by member, anything else replaces. */
  private static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    var fields = patch.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  public static String path(JsonProcessingException e) {
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (JsonMappingException.Reference ref : m.getPath()) {
        if (ref.getFieldName() != null) {
          if (sb.length() > 0) {
            sb.append('.');
          }
          sb.append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          sb.append('[').append(ref.getIndex()).append(']');
        }
      }
      return sb.toString();
    }
    return "body";
  }
}
