package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;

import java.util.Locale;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.fieldops.api.billing.ExportRecord;
import org.fieldops.api.billing.InvoiceService;

/** The outbox of exports to the accounting system. Finance writes; dispatchers read. */
@Path("/accounting/exports")
@Produces(JSON)
@RolesAllowed("finance")
public class AccountingExportResource {
  private final InvoiceService invoices;

  public AccountingExportResource(InvoiceService invoices) {
    this.invoices = invoices;
  }

  @GET
  @RolesAllowed({"finance", "dispatcher"})
  public Response list(
      @QueryParam("status") String status,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    String s = status == null ? null : status.strip().toUpperCase(Locale.ROOT);
    return Response.ok(invoices.exports(s, Responses.page(limit, cursor))).build();
  }

  /** Queues a FAILED or DEAD export again now; from DONE → 409. */
  @POST
  @Path("{id}/retry")
  public Response retry(@PathParam("id") String id, @Context SecurityContext security) {
    ExportRecord e = invoices.retryExport(id, AuthFilter.caller(security));
    return Responses.ok(e, e.version());
  }
}
