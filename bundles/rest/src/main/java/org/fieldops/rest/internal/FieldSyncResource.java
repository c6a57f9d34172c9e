package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;

import java.util.List;
import java.util.Map;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.master.TechnicianService;
import org.fieldops.api.security.Caller;
import org.fieldops.api.sync.EventBatch;
import org.fieldops.api.sync.EventResult;
import org.fieldops.api.sync.SyncService;

/** Technicians' uploads ({@code /me/events}). */
@Path("/me")
@Produces(JSON)
public class FieldSyncResource {
  static final int MAX_EVENTS = 500;

  private final SyncService sync;
  private final TechnicianService technicians;

  public FieldSyncResource(SyncService sync, TechnicianService technicians) {
    this.sync = sync;
    this.technicians = technicians;
  }

  /** A batch of field events; one result per event, in request order, every outcome durable. */
  @POST
  @Path("events")
  @Consumes(JSON)
  @RolesAllowed("technician")
  // a Response, not a Map: CXF would write error bodies with the method's generic Map type
  public Response upload(EventBatch batch, @Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    requireTechnician(caller);
    if (batch != null && batch.events() != null && batch.events().size() > MAX_EVENTS) {
      throw new ApiProblem(
          413,
          "Content Too Large",
          "at most " + MAX_EVENTS + " events per batch; split it",
          Map.of("maxEvents", MAX_EVENTS),
          Map.of());
    }
    List<EventResult> results = sync.ingest(batch, caller);
    return Response.ok(Map.of("results", results)).build();
  }

  /** {@code /me/*} needs an active technician linked to the user. */
  private void requireTechnician(Caller caller) {
    if (technicians.findByUsername(caller.username()).filter(t -> t.active()).isEmpty()) {
      throw new AccessDeniedException(
          "user " + caller.username() + " is not linked to an active technician");
    }
  }
}
