package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.FieldError;
import org.fieldops.api.MediaTooLargeException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.master.TechnicianService;
import org.fieldops.api.security.Caller;
import org.fieldops.api.sync.EventBatch;
import org.fieldops.api.sync.EventResult;
import org.fieldops.api.sync.Packet;
import org.fieldops.api.sync.PacketService;
import org.fieldops.api.sync.SyncService;
import org.fieldops.api.sync.SyncStatus;

/**
 * A technician's phone ({@code /me/*}): its job packet and deltas, its uploads and what became of
 * them. Every operation needs a user linked to an active technician.
 */
@Path("/me")
@Produces(JSON)
public class FieldSyncResource {
  static final int MAX_EVENTS = 500;

  /** The default cap on the body of an upload: 5 MiB. */
  static final long DEFAULT_EVENTS_MAX_BYTES = 5L * 1024 * 1024;

  private final SyncService sync;
  private final PacketService packets;
  private final TechnicianService technicians;
  private final LongSupplier eventsMaxBytes;
  private final ObjectMapper json = JsonMapping.mapper();

  public FieldSyncResource(
      SyncService sync,
      PacketService packets,
      TechnicianService technicians,
      LongSupplier eventsMaxBytes) {
    this.sync = sync;
    this.packets = packets;
    this.technicians = technicians;
    this.eventsMaxBytes = eventsMaxBytes;
  }

  /** The full packet ({@code days}, default 1) or, with {@code since}, the delta after a cursor. */
  @GET
  @Path("packet")
  @RolesAllowed("technician")
  public Response packet(
      @QueryParam("days") String days,
      @QueryParam("since") String since,
      @Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    requireTechnician(caller);
    PacketRequest request = PacketRequest.parse(days, since);
    Packet packet =
        request.since() != null
            ? packets.delta(request.since(), caller)
            : packets.full(request.days(), caller);
    return Response.ok(packet).cacheControl(noStore()).build();
  }

  /**
   * A batch of field events; one result per event, in request order, every outcome durable. The
   * body is read here, counted against the cap, rather than by the JSON provider: a body over the
   * cap is refused with 413 before anything of it is applied, whether its length was declared or it
   * came chunked.
   */
  @POST
  @Path("events")
  @Consumes(JSON)
  @RolesAllowed("technician")
  // a Response, not a Map: CXF would write error bodies with the method's generic Map type
  public Response upload(
      @Context HttpHeaders headers, @Context SecurityContext security, InputStream body)
      throws IOException {
    Caller caller = AuthFilter.caller(security);
    requireTechnician(caller);
    EventBatch batch = readBatch(body, headers.getHeaderString(HttpHeaders.CONTENT_LENGTH));
    if (batch.events() != null && batch.events().size() > MAX_EVENTS) {
      throw new ApiProblem(
          413,
          "Content Too Large",
          "at most " + MAX_EVENTS + " events per batch; split it",
          Map.of("maxEvents", MAX_EVENTS),
          Map.of());
    }
    List<EventResult> results = sync.ingest(batch, caller);
    return Response.ok(Map.of("results", results)).build();
  }

  /** What the server holds of the caller's uploads (one device, or all of them). */
  @GET
  @Path("sync-status")
  @RolesAllowed("technician")
  public Response syncStatus(
      @QueryParam("deviceId") String deviceId, @Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    requireTechnician(caller);
    if (deviceId != null && deviceId.isBlank()) {
      throw ValidationException.of("deviceId", "must not be blank; leave it out for all devices");
    }
    SyncStatus status = sync.status(deviceId, caller);
    return Response.ok(status).cacheControl(noStore()).build();
  }

  /**
   * Reads an upload, refusing more than the cap: at once when {@code Content-Length} says so, else
   * as soon as the streamed body passes it.
   */
  EventBatch readBatch(InputStream body, String contentLength) throws IOException {
    long max = eventsMaxBytes.getAsLong();
    Long declared = declaredLength(contentLength);
    if (declared != null && declared > max) {
      throw new MediaTooLargeException(max); // before a byte of the body is read
    }
    CappedInputStream in =
        new CappedInputStream(body == null ? InputStream.nullInputStream() : body, max);
    EventBatch batch;
    try {
      batch = json.readValue(in, EventBatch.class);
    } catch (IOException | RuntimeException e) {
      if (in.exceeded()) {
        throw new MediaTooLargeException(max);
      }
      throw e;
    }
    if (batch == null) {
      throw ValidationException.of("body", "must be a JSON object {deviceId, events}");
    }
    return batch;
  }

  /** A declared body length, or {@code null} when none (chunked) or not a number. */
  static Long declaredLength(String contentLength) {
    if (contentLength == null || contentLength.isBlank()) {
      return null;
    }
    try {
      return Long.valueOf(contentLength.strip());
    } catch (NumberFormatException e) {
      return null; // the container refuses a malformed length itself
    }
  }

  private static CacheControl noStore() {
    CacheControl cache = new CacheControl();
    cache.setPrivate(true);
    cache.setNoStore(true);
    return cache;
  }

  /** {@code /me/*} needs an active technician linked to the user. */
  private void requireTechnician(Caller caller) {
    if (technicians.findByUsername(caller.username()).filter(t -> t.active()).isEmpty()) {
      throw new AccessDeniedException(
          "user " + caller.username() + " is not linked to an active technician");
    }
  }

  /**
   * The query of {@code GET /me/packet}: a full packet of {@code days} (1 to 7, default 1) or the
   * delta after {@code since}, never both.
   */
  record PacketRequest(int days, String since) {
    static PacketRequest parse(String days, String since) {
      List<FieldError> errors = new ArrayList<>();
      Integer n = null;
      if (days != null) {
        n = parseDays(days);
        if (n == null) {
          errors.add(
              new FieldError("days", "must be a whole number from 1 to " + PacketService.MAX_DAYS));
        }
      }
      if (since != null) {
        if (since.isBlank() || since.length() > 1000) {
          errors.add(new FieldError("since", "is not a cursor of a packet from this server"));
        }
        if (days != null) {
          errors.add(
              new FieldError(
                  "since", "cannot be combined with days: a delta covers its cursor's window"));
        }
      }
      if (!errors.isEmpty()) {
        throw new ValidationException(errors);
      }
      return since != null
          ? new PacketRequest(0, since)
          : new PacketRequest(n == null ? 1 : n, null);
    }

    private static Integer parseDays(String days) {
      try {
        int n = Integer.parseInt(days.strip());
        return n >= 1 && n <= PacketService.MAX_DAYS ? n : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
