package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;
import static org.fieldops.rest.internal.Responses.MERGE_PATCH;

import java.util.Locale;
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
import org.fieldops.api.ValidationException;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceService;
import org.fieldops.api.billing.InvoiceStatus;

/**
 * Invoices: drafts from completed jobs, finance's adjustments, approval, sending, voiding, the PDF.
 * Finance writes; dispatchers read.
 */
@Path("/invoices")
@Produces(JSON)
@RolesAllowed("finance")
public class InvoiceResource {
  static final String PDF = "application/pdf";

  private final InvoiceService invoices;

  public InvoiceResource(InvoiceService invoices) {
    this.invoices = invoices;
  }

  @GET
  @RolesAllowed({"finance", "dispatcher"})
  public Response list(
      @QueryParam("status") String status,
      @QueryParam("jobId") String jobId,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    if (jobId != null && (jobId.isBlank() || jobId.length() > 36)) {
      throw ValidationException.of("jobId", "must be a job id");
    }
    return Response.ok(invoices.list(status(status), jobId, Responses.page(limit, cursor))).build();
  }

  @GET
  @Path("{id}")
  @RolesAllowed({"finance", "dispatcher"})
  public Response get(@PathParam("id") String id) {
    Invoice invoice = invoices.get(id);
    return Responses.ok(invoice, invoice.version());
  }

  /** Adjustment lines on a draft: {@code {"adjustments": [...]}}; {@code If-Match} required. */
  @PATCH
  @Path("{id}")
  @Consumes({JSON, MERGE_PATCH})
  public Response update(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      Map<String, Object> patch,
      @Context SecurityContext security) {
    Invoice invoice =
        invoices.update(id, Etags.expectedVersion(ifMatch), patch, AuthFilter.caller(security));
    return Responses.ok(invoice, invoice.version());
  }

  /** Assigns the next number, moves the job to INVOICED, queues the export. */
  @POST
  @Path("{id}/approval")
  public Response approve(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      @Context SecurityContext security) {
    Invoice invoice = invoices.approve(id, optional(ifMatch), AuthFilter.caller(security));
    return Responses.ok(invoice, invoice.version());
  }

  @POST
  @Path("{id}/sending")
  public Response send(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      @Context SecurityContext security) {
    Invoice invoice = invoices.send(id, optional(ifMatch), AuthFilter.caller(security));
    return Responses.ok(invoice, invoice.version());
  }

  /**
   * Voids the invoice. The body is optional: {@code {"reason": "..."}} (kept in the audit); when
   * one is sent it must be JSON.
   */
  @POST
  @Path("{id}/voiding")
  @Consumes({JSON, "*/*"}) // the body is optional: none at all, or JSON (checked below)
  public Response voidInvoice(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      String body,
      @Context javax.ws.rs.core.HttpHeaders headers,
      @Context SecurityContext security) {
    javax.ws.rs.core.MediaType type = headers.getMediaType();
    String reason = reason(type == null ? null : type.toString(), body);
    Invoice invoice =
        invoices.voidInvoice(id, optional(ifMatch), reason, AuthFilter.caller(security));
    return Responses.ok(invoice, invoice.version());
  }

  /** The optional voiding reason from a body that, if present, is {@code {"reason": text}}. */
  static String reason(String contentType, String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    if (contentType == null
        || !javax.ws.rs.core.MediaType.APPLICATION_JSON_TYPE.isCompatible(
            javax.ws.rs.core.MediaType.valueOf(contentType))) {
      throw ApiProblem.unsupportedMediaType("send Content-Type application/json with a body");
    }
    Map<?, ?> map;
    try {
      Object parsed =
          new com.fasterxml.jackson.databind.ObjectMapper().readValue(body, Object.class);
      if (!(parsed instanceof Map<?, ?> m)) {
        throw ValidationException.of("body", "must be a JSON object {reason}");
      }
      map = m;
    } catch (com.fasterxml.jackson.core.JsonProcessingException bad) {
      throw ValidationException.of("body", "is not valid JSON");
    }
    for (Object key : map.keySet()) {
      if (!"reason".equals(key)) {
        throw ValidationException.of(
            String.valueOf(key), "is not a field of a voiding; send {reason}");
      }
    }
    Object reason = map.get("reason");
    if (reason != null && !(reason instanceof String)) {
      throw ValidationException.of("reason", "must be text (at most 10,000 characters)");
    }
    return (String) reason;
  }

  @GET
  @Path("{id}/document")
  @Produces(PDF)
  @RolesAllowed({"finance", "dispatcher"})
  public Response document(@PathParam("id") String id) {
    Invoice invoice = invoices.get(id);
    byte[] pdf = invoices.document(id);
    String name = (invoice.number() == null ? "draft-" + invoice.id() : invoice.number()) + ".pdf";
    return Response.ok(pdf, PDF)
        .header("Content-Disposition", "inline; filename=\"" + name + "\"")
        .header("X-Content-Type-Options", "nosniff")
        .build();
  }

  private static Long optional(String ifMatch) {
    return ifMatch == null ? null : Etags.expectedVersion(ifMatch);
  }

  static InvoiceStatus status(String value) {
    if (value == null) {
      return null;
    }
    try {
      return InvoiceStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(
          "status", "unknown invoice status; one of DRAFT, APPROVED, SENT, VOID");
    }
  }
}
