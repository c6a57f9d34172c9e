package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Response;
import org.fieldops.api.billing.InvoiceService;
import org.fieldops.api.platform.PluginInfo;
import org.fieldops.api.platform.PluginKind;
import org.fieldops.api.platform.PluginStatus;

/**
 * {@code GET /plugins}: every installed checklist provider, conflict policy and accounting
 * connector with its bundle, version and state, and the configured connector. Admin only.
 */
@Path("/plugins")
@Produces(JSON)
@RolesAllowed("admin")
public class PluginResource {

  /**
   * The listing.
   *
   * @param activeConnector the connector configuration selects ({@code connector} in {@code
   *     etc/org.fieldops.billing.cfg})
   */
  public record Plugins(
      List<PluginInfo> checklistProviders,
      List<PluginInfo> conflictPolicies,
      List<PluginInfo> accountingConnectors,
      ActiveConnector activeConnector) {}

  /**
   * @param name the configured name, or {@code null} when none is configured
   * @param installed whether a connector of that name is installed
   */
  public record ActiveConnector(String name, boolean installed) {}

  private final Supplier<List<PluginStatus>> sources;
  private final InvoiceService billing;

  public PluginResource(Supplier<List<PluginStatus>> sources, InvoiceService billing) {
    this.sources = sources;
    this.billing = billing;
  }

  @GET
  public Response list() {
    List<PluginStatus> all = sources.get();
    Map<String, Object> state = billing.connectorState();
    String name = state.get("active") instanceof String s && !s.isBlank() ? s : null;
    Plugins body =
        new Plugins(
            of(all, PluginKind.CHECKLIST_PROVIDER),
            of(all, PluginKind.CONFLICT_POLICY),
            of(all, PluginKind.ACCOUNTING_CONNECTOR),
            new ActiveConnector(name, Boolean.TRUE.equals(state.get("installed"))));
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.ok(body).cacheControl(noStore).build();
  }

  private static List<PluginInfo> of(List<PluginStatus> all, PluginKind kind) {
    List<PluginInfo> out = new ArrayList<>();
    for (PluginStatus s : all == null ? List.<PluginStatus>of() : all) {
      if (s.kind() == kind) {
        out.addAll(s.plugins());
      }
    }
    return out;
  }
}
