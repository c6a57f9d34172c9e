package org.fieldops.rest.internal;

import static org.fieldops.rest.internal.Responses.JSON;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.sse.Sse;
import javax.ws.rs.sse.SseEventSink;
import org.apache.cxf.jaxrs.sse.SseEventSinkImpl;
import org.fieldops.api.ValidationException;
import org.fieldops.api.board.BoardService;
import org.fieldops.api.jobs.JobService;

/**
 * The dispatch board: one day's board ({@code GET /board?date=}) and the live stream of job changes
 * ({@code GET /board/changes}, Server-Sent Events). Dispatchers (and admins) only.
 */
@Path("/board")
@RolesAllowed("dispatcher")
public class BoardResource {
  static final String LAST_EVENT_ID = "Last-Event-ID";

  private final BoardService board;
  private final JobService jobs;
  private final BoardFeed feed;

  public BoardResource(BoardService board, JobService jobs, BoardFeed feed) {
    this.board = board;
    this.jobs = jobs;
    this.feed = feed;
  }

  /** The board of {@code date} (default: today in the business time zone). */
  @GET
  @Produces(JSON)
  public Response get(@QueryParam("date") String date) {
    LocalDate day = date == null ? LocalDate.now(jobs.zone()) : date(date);
    return Response.ok(board.board(day)).header("Cache-Control", "no-store").build();
  }

  /**
   * Every job change after the cursor of {@code Last-Event-ID} (what a reconnecting EventSource
   * sends), else of {@code since}, else from now on: {@code id:} the change's cursor, {@code event:
   * job}, {@code data:} {@code {jobId, status, version, technicianIds, cursor}}; a comment
   * heartbeat every 15 s. Held open without a thread of its own.
   */
  @GET
  @Path("changes")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void changes(
      @HeaderParam(LAST_EVENT_ID) String lastEventId,
      @QueryParam("since") String since,
      @Context SseEventSink sink,
      @Context Sse sse) {
    long cursor;
    if (lastEventId != null && !lastEventId.isBlank()) {
      cursor = cursor(LAST_EVENT_ID, lastEventId);
    } else if (since != null) {
      cursor = cursor("since", since);
    } else {
      cursor = feed.head();
    }
    if (sink instanceof SseEventSinkImpl cxf && cxf.getAsyncContext() != null) {
      cxf.getAsyncContext().setTimeout(0); // open until the client goes; heartbeats keep it alive
      try {
        // the status and headers now, not with the first event: a client sees the stream is open
        cxf.getAsyncContext().getResponse().flushBuffer();
      } catch (java.io.IOException gone) {
        return;
      }
    }
    feed.open(sink, sse, cursor);
  }

  static long cursor(String field, String value) {
    try {
      long c = Long.parseLong(value.strip());
      if (c >= 0) {
        return c;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ValidationException.of(field, "must be a change cursor (an integer, 0 or more)");
  }

  static LocalDate date(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ValidationException.of("date", "must be a date, YYYY-MM-DD");
    }
  }
}
