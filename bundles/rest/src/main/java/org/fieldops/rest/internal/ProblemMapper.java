package org.fieldops.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.FieldError;
import org.fieldops.api.MediaTooLargeException;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.UnsupportedMediaException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.jobs.ChecklistIncompleteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exception mapper: every error leaves as {@code application/problem+json} (RFC 9457) with
 * {@code type}, {@code title}, {@code status}, {@code detail} and, for validation, {@code errors}.
 * Bad input is never a 500; an unexpected failure is a 500 whose body carries only an incident id
 * (the stack trace goes to the log under that id).
 */
public class ProblemMapper implements ExceptionMapper<Throwable> {
  static final MediaType PROBLEM = MediaType.valueOf("application/problem+json");
  private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    if (e instanceof ApiProblem p) {
      Map<String, Object> body = body(p.status, p.title, p.getMessage());
      body.putAll(p.extensions);
      Response.ResponseBuilder r = Response.status(p.status).type(PROBLEM).entity(body);
      p.headers.forEach(r::header);
      return r.build();
    }
    if (e instanceof ValidationException v) {
      return validation(v.getMessage(), v.errors());
    }
    if (e instanceof AccessDeniedException) {
      return problem(403, "Forbidden", e.getMessage(), Map.of());
    }
    if (e instanceof NotFoundException) {
      return problem(404, "Not Found", e.getMessage(), Map.of());
    }
    if (e instanceof VersionMismatchException v) {
      return Response.status(412)
          .type(PROBLEM)
          .tag(Etags.of(v.currentVersion()))
          .entity(
              withExtras(
                  body(412, "Precondition Failed", v.getMessage()),
                  Map.of("currentVersion", v.currentVersion())))
          .build();
    }
    if (e instanceof ChecklistIncompleteException c) {
      return problem(
          409,
          "Conflict",
          c.getMessage(),
          Map.of("reason", "CHECKLIST_INCOMPLETE", "missing", c.missing()));
    }
    if (e instanceof MediaTooLargeException t) {
      return problem(413, "Content Too Large", t.getMessage(), Map.of("maxBytes", t.maxBytes()));
    }
    if (e instanceof UnsupportedMediaException) {
      return problem(415, "Unsupported Media Type", e.getMessage(), Map.of());
    }
    if (e instanceof StateConflictException c) {
      Map<String, Object> extras =
          c.allowed().isEmpty() ? Map.of() : Map.of("allowed", c.allowed());
      return problem(409, "Conflict", c.getMessage(), extras);
    }
    JsonProcessingException json = jsonCause(e);
    if (json != null) {
      return validation("the body is not valid JSON for this resource", List.of(jsonError(json)));
    }
    if (e instanceof WebApplicationException w) {
      int status = w.getResponse().getStatus();
      if (status < 500) {
        return problem(status, reason(status), detail(status), Map.of());
      }
    }
    if (databaseUnavailable(e)) {
      LOG.warn("Database unavailable: {}", e.toString());
      return Response.status(503)
          .type(PROBLEM)
          .header("Retry-After", "5")
          .entity(body(503, "Service Unavailable", "the database is unavailable; retry shortly"))
          .build();
    }
    if (lockConflict(e)) {
      // a deadlock or lock wait that outlasted the store's retries: busy, not broken
      LOG.warn("Database busy (lock conflict after retries): {}", e.toString());
      return Response.status(503)
          .type(PROBLEM)
          .header("Retry-After", "1")
          .entity(body(503, "Service Unavailable", "the database is busy; retry shortly"))
          .build();
    }
    String incident = UUID.randomUUID().toString();
    LOG.error("Unexpected failure, incident {}", incident, e);
    return problem(
        500,
        "Internal Server Error",
        "unexpected failure; incident " + incident,
        Map.of("incident", incident));
  }

  private static Response validation(String detail, List<FieldError> errors) {
    List<Map<String, String>> list =
        errors.stream().map(fe -> Map.of("field", fe.field(), "message", fe.message())).toList();
    return problem(400, "Bad Request", detail, Map.of("errors", list));
  }

  static Response problem(int status, String title, String detail, Map<String, Object> extras) {
    return Response.status(status)
        .type(PROBLEM)
        .entity(withExtras(body(status, title, detail), extras))
        .build();
  }

  private static Map<String, Object> body(int status, String title, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "https://fieldops.org/problems/" + status);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    return body;
  }

  private static Map<String, Object> withExtras(
      Map<String, Object> body, Map<String, Object> extras) {
    body.putAll(extras);
    return body;
  }

  /** A deadlock or lock timeout (SQL state class 40), nothing stored. */
  private static boolean lockConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransactionRollbackException) {
        return true;
      }
    }
    return false;
  }

  /** A connection to the database could not be had (pool timeout, server down). */
  private static boolean databaseUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException) {
        return true;
      }
    }
    return false;
  }

  private static JsonProcessingException jsonCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException j) {
        return j;
      }
    }
    return null;
  }

  private static FieldError jsonError(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return new FieldError(
          path(u, u.getPropertyName()), "is not a field of this resource, or is read-only");
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return new FieldError(path(m, null), "has the wrong type or format");
    }
    String where =
        e.getLocation() == null
            ? ""
            : " at line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr();
    return new FieldError("body", "malformed JSON" + where);
  }

  private static String path(JsonMappingException m, String last) {
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
    if (sb.length() == 0 && last != null) {
      sb.append(last);
    }
    return sb.length() == 0 ? "body" : sb.toString();
  }

  private static String reason(int status) {
    Response.Status s = Response.Status.fromStatusCode(status);
    return s == null ? "Error" : s.getReasonPhrase();
  }

  private static String detail(int status) {
    return switch (status) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 406 -> "cannot produce the requested media type; ask for application/json";
      case 415 -> "unsupported media type; send application/json";
      case 400 -> "bad request";
      default -> reason(status);
    };
  }
}
