package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;
import static org.fieldops.rest.internal.Responses.MERGE_PATCH;

import java.util.Map;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.fieldops.api.Page;
import org.fieldops.api.pricebook.FlatRateTask;
import org.fieldops.api.pricebook.FlatRateTaskDraft;
import org.fieldops.api.pricebook.LaborRate;
import org.fieldops.api.pricebook.LaborRateDraft;
import org.fieldops.api.pricebook.Part;
import org.fieldops.api.pricebook.PartDraft;
import org.fieldops.api.pricebook.PriceBookService;

/** The price book: finance writes, dispatchers read (technicians get it in their packets). */
@Path("/pricebook")
@Produces(JSON)
public class PriceBookResource {
  private final PriceBookService prices;

  public PriceBookResource(PriceBookService prices) {
    this.prices = prices;
  }

  @GET
  @Path("labor-rates")
  @RolesAllowed({"dispatcher", "finance"})
  public Page<LaborRate> laborRates(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return prices.laborRates(Responses.page(limit, cursor));
  }

  @POST
  @Path("labor-rates")
  @Consumes(JSON)
  @RolesAllowed("finance")
  public Response createLaborRate(
      LaborRateDraft draft, @Context UriInfo uri, @Context SecurityContext security) {
    LaborRate r = prices.createLaborRate(draft, AuthFilter.caller(security));
    return Responses.created(uri, r.code(), r, r.version());
  }

  @GET
  @Path("labor-rates/{code}")
  @RolesAllowed({"dispatcher", "finance"})
  public Response laborRate(@PathParam("code") String code) {
    LaborRate r = prices.laborRate(code);
    return Responses.ok(r, r.version());
  }

  @PATCH
  @Path("labor-rates/{code}")
  @Consumes({JSON, MERGE_PATCH})
  @RolesAllowed("finance")
  public Response updateLaborRate(
      @PathParam("code") String code,
      @HeaderParam("If-Match") String ifMatch,
      Map<String, Object> patch,
      @Context SecurityContext security) {
    LaborRate r =
        prices.updateLaborRate(
            code, Etags.expectedVersion(ifMatch), patch, AuthFilter.caller(security));
    return Responses.ok(r, r.version());
  }

  @GET
  @Path("parts")
  @RolesAllowed({"dispatcher", "finance"})
  public Page<Part> parts(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return prices.parts(Responses.page(limit, cursor));
  }

  @POST
  @Path("parts")
  @Consumes(JSON)
  @RolesAllowed("finance")
  public Response createPart(
      PartDraft draft, @Context UriInfo uri, @Context SecurityContext security) {
    Part p = prices.createPart(draft, AuthFilter.caller(security));
    return Responses.created(uri, p.sku(), p, p.version());
  }

  @GET
  @Path("parts/{sku}")
  @RolesAllowed({"dispatcher", "finance"})
  public Response part(@PathParam("sku") String sku) {
    Part p = prices.part(sku);
    return Responses.ok(p, p.version());
  }

  @PATCH
  @Path("parts/{sku}")
  @Consumes({JSON, MERGE_PATCH})
  @RolesAllowed("finance")
  public Response updatePart(
      @PathParam("sku") String sku,
      @HeaderParam("If-Match") String ifMatch,
      Map<String, Object> patch,
      @Context SecurityContext security) {
    Part p =
        prices.updatePart(sku, Etags.expectedVersion(ifMatch), patch, AuthFilter.caller(security));
    return Responses.ok(p, p.version());
  }

  @GET
  @Path("flat-rate-tasks")
  @RolesAllowed({"dispatcher", "finance"})
  public Page<FlatRateTask> flatRateTasks(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return prices.flatRateTasks(Responses.page(limit, cursor));
  }

  @POST
  @Path("flat-rate-tasks")
  @Consumes(JSON)
  @RolesAllowed("finance")
  public Response createFlatRateTask(
      FlatRateTaskDraft draft, @Context UriInfo uri, @Context SecurityContext security) {
    FlatRateTask t = prices.createFlatRateTask(draft, AuthFilter.caller(security));
    return Responses.created(uri, t.code(), t, t.version());
  }

  @GET
  @Path("flat-rate-tasks/{code}")
  @RolesAllowed({"dispatcher", "finance"})
  public Response flatRateTask(@PathParam("code") String code) {
    FlatRateTask t = prices.flatRateTask(code);
    return Responses.ok(t, t.version());
  }

  @PATCH
  @Path("flat-rate-tasks/{code}")
  @Consumes({JSON, MERGE_PATCH})
  @RolesAllowed("finance")
  public Response updateFlatRateTask(
      @PathParam("code") String code,
      @HeaderParam("If-Match") String ifMatch,
      Map<String, Object> patch,
      @Context SecurityContext security) {
    FlatRateTask t =
        prices.updateFlatRateTask(
            code, Etags.expectedVersion(ifMatch), patch, AuthFilter.caller(security));
    return Responses.ok(t, t.version());
  }
}
