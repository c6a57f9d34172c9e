package org.fieldops.rest.internal;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import org.fieldops.api.Page;
import org.fieldops.api.master.Technician;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.master.TechnicianService;

@Path("/technicians")
public class TechnicianResource extends MasterDataResource<Technician, TechnicianDraft> {
  private final TechnicianService technicians;

  public TechnicianResource(TechnicianService technicians) {
    super(technicians, Technician::id, Technician::version);
    this.technicians = technicians;
  }

  @GET
  @RolesAllowed({"dispatcher", "finance"})
  public Page<Technician> list(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return technicians.list(Responses.page(limit, cursor));
  }
}
