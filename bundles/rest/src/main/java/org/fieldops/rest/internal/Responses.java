package org.fieldops.rest.internal;

import java.net.URI;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.fieldops.api.PageRequest;
import org.fieldops.api.ValidationException;

/** Shapes shared by the resources: 201 with Location and ETag, 200 with ETag, list parameters. */
final class Responses {
  static final String JSON = "application/json";
  static final String MERGE_PATCH = "application/merge-patch+json";

  private Responses() {}

  static Response created(UriInfo uri, String id, Object body, long version) {
    URI location = uri.getAbsolutePathBuilder().path(id).build();
    return Response.created(location).tag(Etags.of(version)).entity(body).build();
  }

  static Response ok(Object body, long version) {
    return Response.ok(body).tag(Etags.of(version)).build();
  }

  /** A page request from the {@code limit} and {@code cursor} query parameters (400 if invalid). */
  static PageRequest page(String limit, String cursor) {
    Integer n = null;
    if (limit != null) {
      try {
        n = Integer.valueOf(limit.strip());
      } catch (NumberFormatException e) {
        throw ValidationException.of(
            "limit", "must be a whole number from 1 to " + PageRequest.MAX_LIMIT);
      }
    }
    return PageRequest.of(n, cursor);
  }
}
