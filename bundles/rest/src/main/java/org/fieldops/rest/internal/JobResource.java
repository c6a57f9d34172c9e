package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;
import static org.fieldops.rest.internal.Responses.MERGE_PATCH;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.fieldops.api.Page;
import org.fieldops.api.ValidationException;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.AssignmentResult;
import org.fieldops.api.jobs.AuditEntry;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.JobQuery;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.LineDraft;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.jobs.WorkOrderDraft;

/** Work orders for the office: dispatchers write, finance reads. */
@Path("/jobs")
@Produces(JSON)
public class JobResource {
  /** The body of {@code POST /jobs/{id}/transitions}. */
  public record TransitionRequest(JobStatus to, String reason) {}

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JobService jobs;
  private final ObjectMapper json = JsonMapping.mapper();

  public JobResource(JobService jobs) {
    this.jobs = jobs;
  }

  @POST
  @Consumes(JSON)
  @RolesAllowed("dispatcher")
  public Response create(
      WorkOrderDraft draft, @Context UriInfo uri, @Context SecurityContext security) {
    WorkOrder job = jobs.create(draft, AuthFilter.caller(security));
    return Responses.created(uri, job.id(), job, job.version());
  }

  @GET
  @RolesAllowed({"dispatcher", "finance"})
  public Page<WorkOrder> list(
      @QueryParam("status") String status,
      @QueryParam("technicianId") String technicianId,
      @QueryParam("date") String date,
      @QueryParam("siteId") String siteId,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    JobQuery query = new JobQuery(status(status), technicianId, date(date), siteId);
    return jobs.list(query, Responses.page(limit, cursor));
  }

  @GET
  @Path("{id}")
  @RolesAllowed({"dispatcher", "finance"})
  public Response get(@PathParam("id") String id) {
    WorkOrder job = jobs.get(id);
    return Responses.ok(job, job.version());
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
    WorkOrder job =
        jobs.update(id, Etags.expectedVersion(ifMatch), patch, AuthFilter.caller(security));
    return Responses.ok(job, job.version());
  }

  /** Assigns or (with {@code technicianIds: []}) un-assigns; {@code If-Match} is optional here. */
  @PUT
  @Path("{id}/assignment")
  @Consumes(JSON)
  @RolesAllowed("dispatcher")
  public Response assign(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      Assignment assignment,
      @Context SecurityContext security) {
    Long expected = ifMatch == null ? null : Etags.expectedVersion(ifMatch);
    AssignmentResult result = jobs.assign(id, expected, assignment, AuthFilter.caller(security));
    Map<String, Object> body = new LinkedHashMap<>(json.convertValue(result.job(), MAP));
    body.put("warnings", result.warnings());
    return Responses.ok(body, result.job().version());
  }

  @POST
  @Path("{id}/transitions")
  @Consumes(JSON)
  @RolesAllowed("dispatcher")
  public Response transition(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      TransitionRequest request,
      @Context SecurityContext security) {
    if (request == null) {
      throw ValidationException.of("body", "must be a JSON object with 'to'");
    }
    Long expected = ifMatch == null ? null : Etags.expectedVersion(ifMatch);
    WorkOrder job =
        jobs.transition(id, expected, request.to(), request.reason(), AuthFilter.caller(security));
    return Responses.ok(job, job.version());
  }

  /** An office correction: a new labor, part, flat-rate or note line. */
  @POST
  @Path("{id}/lines")
  @Consumes(JSON)
  @RolesAllowed("dispatcher")
  public Response addLine(
      @PathParam("id") String id,
      LineDraft draft,
      @Context UriInfo uri,
      @Context SecurityContext security) {
    JobLine line = jobs.addLine(id, draft, AuthFilter.caller(security));
    return Responses.created(uri, line.id(), line, line.version());
  }

  /**
   * An office correction of a line (quantity, times, text, technician, voided); If-Match is the
   * line's version.
   */
  @PATCH
  @Path("{id}/lines/{lineId}")
  @Consumes({JSON, MERGE_PATCH})
  @RolesAllowed("dispatcher")
  public Response updateLine(
      @PathParam("id") String id,
      @PathParam("lineId") String lineId,
      @HeaderParam("If-Match") String ifMatch,
      Map<String, Object> patch,
      @Context SecurityContext security) {
    JobLine line =
        jobs.updateLine(
            id, lineId, Etags.expectedVersion(ifMatch), patch, AuthFilter.caller(security));
    return Responses.ok(line, line.version());
  }

  @GET
  @Path("{id}/audit")
  @RolesAllowed({"dispatcher", "finance"})
  public Page<AuditEntry> audit(
      @PathParam("id") String id,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return jobs.audit(id, Responses.page(limit, cursor));
  }

  private static JobStatus status(String value) {
    if (value == null) {
      return null;
    }
    try {
      return JobStatus.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(
          "status", "unknown status; one of " + java.util.Arrays.toString(JobStatus.values()));
    }
  }

  private static LocalDate date(String value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ValidationException.of("date", "must be a date, YYYY-MM-DD");
    }
  }
}
