package org.fieldops.rest.internal;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import org.fieldops.api.Page;
import org.fieldops.api.master.Equipment;
import org.fieldops.api.master.EquipmentDraft;
import org.fieldops.api.master.EquipmentService;

@Path("/equipment")
public class EquipmentResource extends MasterDataResource<Equipment, EquipmentDraft> {
  private final EquipmentService equipment;

  public EquipmentResource(EquipmentService equipment) {
    super(equipment, Equipment::id, Equipment::version);
    this.equipment = equipment;
  }

  @GET
  @RolesAllowed({"dispatcher", "finance"})
  public Page<Equipment> list(
      @QueryParam("siteId") String siteId,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return equipment.list(siteId, Responses.page(limit, cursor));
  }
}
