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
import org.fieldops.api.security.User;
import org.fieldops.api.security.UserDraft;
import org.fieldops.api.security.UserService;

/** Accounts; admin only (no other role is listed, and admin passes every check). */
@Path("/users")
@Produces(JSON)
@RolesAllowed("admin")
public class UserResource {
  private final UserService users;

  public UserResource(UserService users) {
    this.users = users;
  }

  @POST
  @Consumes(JSON)
  public Response create(UserDraft draft, @Context UriInfo uri, @Context SecurityContext security) {
    User created = users.create(draft, AuthFilter.caller(security));
    return Responses.created(uri, created.username(), created, created.version());
  }

  @GET
  public Page<User> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return users.list(Responses.page(limit, cursor));
  }

  @GET
  @Path("{username}")
  public Response get(@PathParam("username") String username) {
    User user = users.get(username);
    return Responses.ok(user, user.version());
  }

  @PATCH
  @Path("{username}")
  @Consumes({JSON, MERGE_PATCH})
  public Response update(
      @PathParam("username") String username,
      @HeaderParam("If-Match") String ifMatch,
      Map<String, Object> patch,
      @Context SecurityContext security) {
    User updated =
        users.update(username, Etags.expectedVersion(ifMatch), patch, AuthFilter.caller(security));
    return Responses.ok(updated, updated.version());
  }
}
