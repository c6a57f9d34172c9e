package org.fieldops.rest.internal;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import org.fieldops.api.Page;
import org.fieldops.api.jobs.HistoryEntry;
import org.fieldops.api.jobs.HistoryService;
import org.fieldops.api.master.Site;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.SiteService;

@Path("/sites")
public class SiteResource extends MasterDataResource<Site, SiteDraft> {
  private final SiteService sites;
  private final HistoryService history;

  public SiteResource(SiteService sites, HistoryService history) {
    super(sites, Site::id, Site::version);
    this.sites = sites;
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
    return history.siteHistory(id, Responses.page(limit, cursor));
  }

  @GET
  @RolesAllowed({"dispatcher", "finance"})
  public Page<Site> list(
      @QueryParam("customerId") String customerId,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return sites.list(customerId, Responses.page(limit, cursor));
  }
}
