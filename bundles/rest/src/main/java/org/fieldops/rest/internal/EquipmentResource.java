package org.fieldops.rest.internal;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import org.fieldops.api.Page;
import org.fieldops.api.jobs.HistoryEntry;
import org.fieldops.api.jobs.HistoryService;
import org.fieldops.api.master.Equipment;
import org.fieldops.api.master.EquipmentDraft;
import org.fieldops.api.master.EquipmentService;

@Path("/equipment")
public class EquipmentResource extends MasterDataResource<Equipment, EquipmentDraft> {
  private final EquipmentService equipment;
  private final HistoryService history;

  public EquipmentResource(EquipmentService equipment, HistoryService history) {
    super(equipment, Equipment::id, Equipment::version);
    this.equipment = equipment;
    this.history = history;
  }

  /** The jobs done here, newest first. */
  @GET
  @javax.ws.rs.Path("{id}/history")
  @RolesAllowed({"dispatcher", "finance"})
  public Page<HistoryEntry> history(
      @javax.ws.rs.PathParam("id") String id,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return history.equipmentHistory(id, Responses.page(limit, cursor));
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
