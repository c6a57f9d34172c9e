package org.fieldops.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import javax.annotation.security.PermitAll;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Response;
import org.fieldops.api.platform.Health;
import org.fieldops.api.platform.HealthService;

/** The public endpoints: {@code /health} for load balancers, {@code /openapi.json} for clients. */
@Path("/")
@Produces(Responses.JSON)
public class PlatformResource {
  private final HealthService health;
  private final byte[] openApi;

  public PlatformResource(HealthService health) {
    this.health = health;
    try (InputStream in = PlatformResource.class.getResourceAsStream("openapi.json")) {
      this.openApi = in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("openapi.json missing from the bundle", e);
    }
  }

  @GET
  @Path("health")
  @PermitAll
  public Response health() {
    Health h = health.check();
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.status(h.up() ? 200 : 503).cacheControl(noStore).entity(h).build();
  }

  @GET
  @Path("openapi.json")
  @PermitAll
  public Response openApi() {
    return Response.ok(openApi).build();
  }
}
