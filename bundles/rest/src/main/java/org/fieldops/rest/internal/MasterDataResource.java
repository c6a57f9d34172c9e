package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;
import static org.fieldops.rest.internal.Responses.MERGE_PATCH;

import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.fieldops.api.master.MasterDataService;

/**
 * Create, get and merge-patch for one kind of master data; the subclass adds its list with its
 * filters. Dispatchers write, finance reads (API.md's role table).
 */
@Produces(JSON)
public abstract class MasterDataResource<R, D> {
  private final MasterDataService<R, D> service;
  private final Function<R, String> idOf;
  private final ToLongFunction<R> versionOf;

  protected MasterDataResource(
      MasterDataService<R, D> service, Function<R, String> idOf, ToLongFunction<R> versionOf) {
    this.service = service;
    this.idOf = idOf;
    this.versionOf = versionOf;
  }

  @POST
  @Consumes(JSON)
  @RolesAllowed("dispatcher")
  public Response create(D draft, @Context UriInfo uri, @Context SecurityContext security) {
    R created = service.create(draft, AuthFilter.caller(security));
    return Responses.created(uri, idOf.apply(created), created, versionOf.applyAsLong(created));
  }

  @GET
  @Path("{id}")
  @RolesAllowed({"dispatcher", "finance"})
  public Response get(@PathParam("id") String id) {
    R record = service.get(id);
    return Responses.ok(record, versionOf.applyAsLong(record));
  }

  @PATCH
  @Path("{id}")
  @Consumes({JSON, MERGE_PATCH})
  @RolesAllowed("dispatcher")
  public Response update(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      Map<String, Object> patch,
      @Context SecurityContext security) {
    long expected = Etags.expectedVersion(ifMatch);
    R updated = service.update(id, expected, patch, AuthFilter.caller(security));
    return Responses.ok(updated, versionOf.applyAsLong(updated));
  }
}
