package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;

import java.util.Locale;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.fieldops.api.Page;
import org.fieldops.api.ValidationException;
import org.fieldops.api.sync.Rejection;
import org.fieldops.api.sync.SyncService;

/** Technicians' rejected events, for the office to see and mark handled. Dispatchers only. */
@Path("/sync/rejections")
@Produces(JSON)
@RolesAllowed("dispatcher")
public class RejectionResource {
  private final SyncService sync;

  public RejectionResource(SyncService sync) {
    this.sync = sync;
  }

  @GET
  public Response list(
      @QueryParam("technicianId") String technicianId,
      @QueryParam("acknowledged") String acknowledged,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    if (technicianId != null && technicianId.isBlank()) {
      throw ValidationException.of("technicianId", "must not be blank; leave it out for all");
    }
    Page<Rejection> page =
        sync.rejections(technicianId, flag(acknowledged), Responses.page(limit, cursor));
    return Response.ok(page).build();
  }

  /**
   * Marks a rejection handled; idempotent. {@code deviceId} only if several devices used the opId.
   */
  @POST
  @Path("{opId}/acknowledgement")
  public Response acknowledge(
      @PathParam("opId") String opId,
      @QueryParam("deviceId") String deviceId,
      @Context SecurityContext security) {
    if (deviceId != null && deviceId.isBlank()) {
      throw ValidationException.of("deviceId", "must not be blank; leave it out if unambiguous");
    }
    Rejection rejection = sync.acknowledge(opId, deviceId, AuthFilter.caller(security));
    return Response.ok(rejection).build();
  }

  /** {@code true} or {@code false} (any case), or {@code null} for both. */
  static Boolean flag(String value) {
    if (value == null) {
      return null;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw ValidationException.of("acknowledged", "must be true or false");
    };
  }
}
