package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The dispatch board over HTTP in the real distribution: {@code GET /board} with a technician's
 * sync state, and the {@code GET /board/changes} stream: its format, a technician's upload through
 * {@code /me/events} arriving on it, resuming after a disconnect from {@code Last-Event-ID} or
 * {@code since} without missing a change, the heartbeat, roles and bad cursors.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BoardIT extends FieldOpsTestSupport {
  private static final Duration SOON = Duration.ofSeconds(5);

  @Configuration
  public Option[] config() {
    return distribution();
  }

  @Before
  public void ready() throws InterruptedException {
    awaitApi();
  }

  /** A dispatcher, a customer and site, a linked technician and two jobs assigned today. */
  private static final class Day {
    final String dispatcher = user("dispatcher");
    final String techUser;
    final String techId;
    final String customer;
    final String site;
    final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    final List<String> jobs = new ArrayList<>();

    Day() {
      customer =
          id(post("/customers", dispatcher, PW, "{\"name\":\"Board Co\",\"currency\":\"USD\"}"));
      site =
          id(
              post(
                  "/sites",
                  dispatcher,
                  PW,
                  "{\"customerId\":\"" + customer + "\",\"address\":\"1 Board St\"}"));
      techUser = user("technician");
      techId =
          id(
              post(
                  "/technicians",
                  dispatcher,
                  PW,
                  "{\"name\":\"Tech "
                      + techUser
                      + "\",\"username\":\""
                      + techUser
                      + "\",\"skills\":[\"hvac\"]}"));
    }

    String job(String title, String from, String to) {
      String job =
          id(
              post(
                  "/jobs",
                  dispatcher,
                  PW,
                  "{\"customerId\":\""
                      + customer
                      + "\",\"siteId\":\""
                      + site
                      + "\",\"title\":"
                      + quoted(title)
                      + ",\"type\":\"hvac.repair\",\"windowStart\":\""
                      + today
                      + "T00:00:00Z\",\"windowEnd\":\""
                      + today
                      + "T23:59:00Z\"}"));
      if (from != null) {
        call(
                "PUT",
                "/jobs/" + job + "/assignment",
                dispatcher,
                PW,
                "application/json",
                "{\"technicianIds\":[\""
                    + techId
                    + "\"],\"start\":\""
                    + today
                    + "T"
                    + from
                    + ":00Z\",\"end\":\""
                    + today
                    + "T"
                    + to
                    + ":00Z\"}")
            .expect(200);
      }
      jobs.add(job);
      return job;
    }

    long version(String job) {
      return get("/jobs/" + job, dispatcher, PW).expect(200).json().path("version").asLong();
    }

    JsonNode upload(String device, String job, long seq, String type, String data) {
      String body =
          events(device, event(seq, job, type, "2026-11-25T10:00:00Z", version(job), data));
      return post("/me/events", techUser, PW, body).expect(200).json().path("results").get(0);
    }

    JsonNode board() {
      return get("/board?date=" + today, dispatcher, PW).expect(200).json();
    }

    JsonNode row(JsonNode board) {
      for (JsonNode t : board.path("technicians")) {
        if (techId.equals(t.path("id").asText())) {
          return t;
        }
      }
      throw new AssertionError("technician " + techId + " not on the board: " + board);
    }
  }

  @Test
  public void theBoardShowsTheDayAndTheTechniciansSyncState() {
    Day day = new Day();
    String late = day.job("Late job", "14:00", "15:00");
    String early = day.job("Early job <script>", "08:00", "09:00");
    String open = day.job("Nobody yet", null, null);

    JsonNode board = day.board();
    assertEquals(day.today.toString(), board.path("date").asText());
    assertTrue("cursor", board.path("cursor").asLong() > 0);
    JsonNode row = day.row(board);
    assertEquals("never synced", true, row.path("lastSyncAt").isNull());
    assertTrue("stale", row.path("stale").asBoolean());
    assertEquals(0, row.path("openReviews").asInt());
    assertEquals(0, row.path("openRejections").asInt());
    assertEquals("slot order", early, row.path("jobs").get(0).path("id").asText());
    assertEquals(late, row.path("jobs").get(1).path("id").asText());
    JsonNode first = row.path("jobs").get(0);
    assertEquals("DISPATCHED", first.path("status").asText());
    assertEquals("Board Co", first.path("customerName").asText());
    assertEquals("1 Board St", first.path("siteAddress").asText());
    assertEquals("Early job <script>", first.path("title").asText());
    assertTrue(first.path("slotStart").asText().startsWith(day.today + "T08:00"));
    boolean unassigned = false;
    for (JsonNode j : board.path("unassigned")) {
      unassigned |= open.equals(j.path("id").asText());
    }
    assertTrue("unassigned job listed", unassigned);

    // an upload: last sync now, not stale; a rejected event counts until acknowledged
    String device = "phone-" + UUID.randomUUID();
    assertEquals(
        "APPLIED",
        day.upload(device, early, 1, "note", "{\"text\":\"gate was locked\"}")
            .path("outcome")
            .asText());
    assertEquals(
        "REJECTED", day.upload(device, early, 2, "teleport", "{}").path("outcome").asText());
    row = day.row(day.board());
    assertFalse("lastSyncAt", row.path("lastSyncAt").isNull());
    assertFalse("not stale after an upload", row.path("stale").asBoolean());
    assertEquals(1, row.path("openRejections").asInt());
    assertEquals("gate was locked", row.path("jobs").get(0).path("lastNote").asText());

    // roles and bad input
    get("/board", null, null).expect(401);
    get("/board", day.techUser, PW).expect(403);
    get("/board", user("finance"), PW).expect(403);
    get("/board?date=tomorrow", day.dispatcher, PW).expectFieldError("date");
    get("/board", "admin", ADMIN_PASSWORD).expect(200);
  }

  @Test
  public void theStreamCarriesEveryChangeAndResumesWithoutMissingOne() throws Exception {
    Day day = new Day();
    String job = day.job("Streamed job", "10:00", "11:00");
    long cursor = day.board().path("cursor").asLong();
    String device = "phone-" + UUID.randomUUID();
    String url = api() + "/board/changes";

    long lastSeen;
    try (SseStream stream = SseStream.open(url + "?since=" + cursor, day.dispatcher, PW)) {
      assertEquals(200, stream.status());
      assertTrue(
          "Content-Type " + stream.header("Content-Type"),
          stream.header("Content-Type").startsWith("text/event-stream"));

      // a technician's upload arrives
      long uploaded = System.nanoTime();
      JsonNode result = day.upload(device, job, 1, "status", "{\"to\":\"EN_ROUTE\"}");
      assertEquals("APPLIED", result.path("outcome").asText());
      long version = result.path("jobVersion").asLong();
      SseStream.Event e = stream.awaitJob(job, version, SOON);
      System.out.printf(
          "board event %d ms after the upload was sent%n",
          (System.nanoTime() - uploaded) / 1_000_000);
      assertEquals("job", e.name());
      JsonNode data = e.json();
      assertEquals(job, data.path("jobId").asText());
      assertEquals("EN_ROUTE", data.path("status").asText());
      assertEquals(version, data.path("version").asLong());
      assertEquals(day.techId, data.path("technicianIds").get(0).asText());
      assertEquals("id is the cursor", e.cursor(), data.path("cursor").asLong());
      assertTrue("after the board's cursor", e.cursor() > cursor);
      assertTrue("lines: " + e.lines(), e.lines().contains("id: " + e.id()));
      assertTrue("lines: " + e.lines(), e.lines().contains("event: job"));
      assertTrue(
          "lines: " + e.lines(),
          e.lines().stream().anyMatch(l -> l.startsWith("data: {\"jobId\":\"" + job + "\"")));
      lastSeen = e.cursor();
    }

    // changes while the stream is down: two uploads and an office edit
    day.upload(device, job, 2, "status", "{\"to\":\"ON_SITE\"}");
    day.upload(device, job, 3, "note", "{\"text\":\"missed while offline?\"}");
    String other = day.job("Made while away", "12:00", "13:00");
    Thread.sleep(300); // the sequencer stamps committed changes every few milliseconds
    long head = day.board().path("cursor").asLong();

    // resume from Last-Event-ID (wins over since): every change after it, in order, none twice
    try (SseStream stream =
        SseStream.open(url + "?since=0", day.dispatcher, PW, "Last-Event-ID", "" + lastSeen)) {
      List<SseStream.Event> got = new ArrayList<>();
      long expected = lastSeen + 1;
      while (expected <= head) {
        SseStream.Event e = stream.next(SOON);
        assertEquals("consecutive cursors after " + lastSeen, expected, e.cursor());
        got.add(e);
        expected++;
      }
      assertTrue("the ON_SITE move", has(got, job, "ON_SITE"));
      assertTrue("the new job", got.stream().anyMatch(e -> other.equals(jobOf(e))));
      assertEquals(
          "the job's versions in order",
          List.copyOf(
              got.stream()
                  .filter(e -> job.equals(jobOf(e)))
                  .map(e -> e.json().path("version").asLong())
                  .sorted()
                  .toList()),
          got.stream()
              .filter(e -> job.equals(jobOf(e)))
              .map(e -> e.json().path("version").asLong())
              .toList());
      // and what happens next still arrives on the resumed stream
      JsonNode done = day.upload(device, other, 4, "status", "{\"to\":\"EN_ROUTE\"}");
      SseStream.Event live = stream.awaitJob(other, done.path("jobVersion").asLong(), SOON);
      assertEquals(head + 1, live.cursor());
    }

    // since= replays from a cursor too
    try (SseStream stream = SseStream.open(url + "?since=" + cursor, day.dispatcher, PW)) {
      assertEquals(cursor + 1, stream.next(SOON).cursor());
    }
  }

  @Test
  public void aStreamWithoutCursorStartsAtTheHeadAndBeatsEvery15Seconds() throws Exception {
    Day day = new Day();
    String job = day.job("Heartbeat job", "16:00", "17:00");
    try (SseStream stream = SseStream.open(api() + "/board/changes", day.dispatcher, PW)) {
      assertEquals(200, stream.status());
      assertNull("nothing old replayed", stream.poll(Duration.ofMillis(500)));
      JsonNode r =
          day.upload("phone-" + UUID.randomUUID(), job, 1, "status", "{\"to\":\"EN_ROUTE\"}");
      assertNotNull(stream.awaitJob(job, r.path("jobVersion").asLong(), SOON));
      assertEquals("heartbeat", stream.comment(Duration.ofSeconds(17)));
    }
  }

  @Test
  public void theStreamChecksRolesAndCursors() throws Exception {
    String url = api() + "/board/changes";
    try (SseStream s = SseStream.open(url, null, null)) {
      assertEquals(401, s.status());
    }
    try (SseStream s = SseStream.open(url, user("finance"), PW)) {
      assertEquals(403, s.status());
    }
    try (SseStream s = SseStream.open(url + "?since=-1", user("dispatcher"), PW)) {
      assertEquals(400, s.status());
      assertTrue(s.errorBody(), s.errorBody().contains("since"));
    }
    try (SseStream s = SseStream.open(url, user("dispatcher"), PW, "Last-Event-ID", "x")) {
      assertEquals(400, s.status());
    }
    try (SseStream s = SseStream.open(url, "admin", ADMIN_PASSWORD)) {
      assertEquals(200, s.status());
    }
  }

  private static boolean has(List<SseStream.Event> events, String job, String status) {
    return events.stream()
        .anyMatch(e -> job.equals(jobOf(e)) && status.equals(e.json().path("status").asText()));
  }

  private static String jobOf(SseStream.Event e) {
    return e.json().path("jobId").asText();
  }
}
