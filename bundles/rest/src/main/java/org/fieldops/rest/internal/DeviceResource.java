package org.fieldops.rest.internal;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.fieldops.api.sync.SyncService;

/** The office's handling of technicians' devices. */
@Path("/devices")
@Produces(Responses.JSON)
public class DeviceResource {
  private final SyncService sync;

  public DeviceResource(SyncService sync) {
    this.sync = sync;
  }

  /** Frees a device id for another technician (a replaced or shared phone). */
  @POST
  @Path("{deviceId}/release")
  @RolesAllowed("dispatcher")
  public Response release(
      @PathParam("deviceId") String deviceId, @Context SecurityContext security) {
    sync.releaseDevice(deviceId, AuthFilter.caller(security));
    return Response.noContent().build();
  }
}
