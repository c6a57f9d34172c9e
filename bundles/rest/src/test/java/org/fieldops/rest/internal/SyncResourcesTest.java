package org.fieldops.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.ws.rs.core.Response;
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.FieldError;
import org.fieldops.api.MediaTooLargeException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.ValidationException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.master.Technician;
import org.fieldops.api.master.TechnicianService;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.sync.EventBatch;
import org.fieldops.api.sync.EventResult;
import org.fieldops.api.sync.Outcome;
import org.fieldops.api.sync.Packet;
import org.fieldops.api.sync.PacketService;
import org.fieldops.api.sync.Rejection;
import org.fieldops.api.sync.Review;
import org.fieldops.api.sync.ReviewResolution;
import org.fieldops.api.sync.ReviewService;
import org.fieldops.api.sync.SyncService;
import org.fieldops.api.sync.SyncStatus;
import org.junit.Test;

/**
 * The sync resources without a server: query parameters, the body cap of uploads, what reaches the
 * services and how their answers are written.
 */
public class SyncResourcesTest {
  private static final Caller TECH = new Caller("tina", Set.of(Role.TECHNICIAN));
  private static final Caller UNLINKED = new Caller("ulla", Set.of(Role.TECHNICIAN));
  private static final Caller DISPATCHER = new Caller("dan", Set.of(Role.DISPATCHER));

  private final List<String> calls = new ArrayList<>();
  private final AtomicReference<Object> lastArg = new AtomicReference<>();

  // ---- GET /me/packet parameters

  @Test
  public void packetDefaultsToOneDay() {
    FieldSyncResource.PacketRequest r = FieldSyncResource.PacketRequest.parse(null, null);
    assertEquals(1, r.days());
    assertNull(r.since());
  }

  @Test
  public void packetDaysFromOneToSeven() {
    assertEquals(1, FieldSyncResource.PacketRequest.parse("1", null).days());
    assertEquals(7, FieldSyncResource.PacketRequest.parse(" 7 ", null).days());
    for (String bad : List.of("0", "8", "-1", "", "one", "1.5", "99999999999", "2,3")) {
      assertFieldErrors(() -> FieldSyncResource.PacketRequest.parse(bad, null), "days");
    }
  }

  @Test
  public void packetSinceIsADeltaAndExcludesDays() {
    FieldSyncResource.PacketRequest r = FieldSyncResource.PacketRequest.parse(null, "abc");
    assertEquals("abc", r.since());
    assertFieldErrors(() -> FieldSyncResource.PacketRequest.parse("2", "abc"), "since");
    assertFieldErrors(() -> FieldSyncResource.PacketRequest.parse(null, ""), "since");
    assertFieldErrors(() -> FieldSyncResource.PacketRequest.parse(null, "x".repeat(1001)), "since");
    assertFieldErrors(() -> FieldSyncResource.PacketRequest.parse("9", "abc"), "days", "since");
  }

  @Test
  public void packetRoutesToFullOrDeltaForALinkedTechnicianOnly() {
    FieldSyncResource me = fieldSync(1024);
    Response full = me.packet(null, null, as(TECH));
    assertEquals(200, full.getStatus());
    assertEquals("full 1 tina", calls.get(0));
    assertTrue(full.getHeaderString("Cache-Control").contains("no-store"));
    me.packet("3", null, as(TECH));
    assertEquals("full 3 tina", calls.get(1));
    Packet delta = (Packet) me.packet(null, "c-1", as(TECH)).getEntity();
    assertEquals("delta c-1 tina", calls.get(2));
    assertTrue(delta.delta());
    try {
      me.packet(null, null, as(UNLINKED));
      fail("a user without an active technician got a packet");
    } catch (AccessDeniedException expected) {
      assertEquals(3, calls.size());
    }
  }

  // ---- POST /me/events body cap

  @Test
  public void anUploadWithinTheCapIsParsedStrictly() throws IOException {
    FieldSyncResource me = fieldSync(1024);
    String body =
        "{\"deviceId\":\"p-1\",\"events\":[{\"opId\":\"a\",\"seq\":1,\"jobId\":\"j\","
            + "\"type\":\"note\",\"occurredAt\":\"2026-11-25T09:00:00Z\",\"data\":{\"text\":\"hi\"}}]}";
    EventBatch batch = me.readBatch(stream(body), String.valueOf(body.length()));
    assertEquals("p-1", batch.deviceId());
    assertEquals(Instant.parse("2026-11-25T09:00:00Z"), batch.events().get(0).occurredAt());
    try {
      me.readBatch(stream("{\"deviceId\":\"p\",\"events\":[],\"extra\":1}"), null);
      fail("an unknown field was accepted");
    } catch (JsonProcessingException expected) {
      // ProblemMapper answers 400 naming it
    }
    assertFieldErrors(() -> readQuietly(me, "null"), "body");
  }

  @Test
  public void aDeclaredLengthOverTheCapIsRefusedBeforeReading() {
    FieldSyncResource me = fieldSync(1024);
    InputStream untouchable =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("the body was read");
          }
        };
    try {
      me.readBatch(untouchable, "1025");
      fail("1025 declared bytes passed a cap of 1024");
    } catch (MediaTooLargeException e) {
      assertEquals(1024, e.maxBytes());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  public void aChunkedBodyOverTheCapIsRefusedWhileReading() {
    FieldSyncResource me = fieldSync(1024);
    // valid JSON all along: a long array of events, never closed before the cap
    String head = "{\"deviceId\":\"p-1\",\"events\":[";
    StringBuilder events = new StringBuilder(head);
    for (int i = 0; events.length() < 4000; i++) {
      events.append(i == 0 ? "" : ",").append("{\"opId\":\"o").append(i).append("\",\"seq\":1}");
    }
    CappedInputStreamTest.Endless rest = new CappedInputStreamTest.Endless();
    InputStream body = new SequenceInputStream(stream(events.toString()), rest);
    for (String length : new String[] {null, "", "chunked", "100"}) {
      try {
        me.readBatch(body, length);
        fail("a body over the cap was read (Content-Length " + length + ")");
      } catch (MediaTooLargeException e) {
        assertEquals(1024, e.maxBytes());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      body = new SequenceInputStream(stream(events.toString()), rest);
    }
    assertEquals("nothing reached the service", List.of(), calls);
  }

  @Test
  public void trailingSpaceOverTheCapIsStillOverTheCap() {
    FieldSyncResource me = fieldSync(64);
    String body = "{\"deviceId\":\"p-1\",\"events\":[]}" + " ".repeat(100);
    try {
      me.readBatch(stream(body), null);
      fail("a 130-byte body passed a cap of 64");
    } catch (MediaTooLargeException expected) {
      // refused
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  public void theCapIsReadAtEachRequest() throws IOException {
    long[] cap = {16};
    FieldSyncResource me =
        new FieldSyncResource(syncService(), packetService(), technicianService(), () -> cap[0]);
    String body = "{\"deviceId\":\"p-1\",\"events\":[]}";
    try {
      me.readBatch(stream(body), null);
      fail("over the cap");
    } catch (MediaTooLargeException expected) {
      // refused
    }
    cap[0] = 1024;
    assertEquals("p-1", me.readBatch(stream(body), null).deviceId());
  }

  @Test
  public void uploadAnswersResultsAndRefusesMoreThan500Events() throws IOException {
    FieldSyncResource me = fieldSync(1024 * 1024);
    Response ok =
        me.upload(headers(null), as(TECH), stream("{\"deviceId\":\"p-1\",\"events\":[]}"));
    assertEquals(200, ok.getStatus());
    assertEquals(Map.of("results", List.of()), ok.getEntity());
    assertEquals("ingest p-1 tina", calls.get(0));

    StringBuilder many = new StringBuilder("{\"deviceId\":\"p-1\",\"events\":[");
    for (int i = 0; i < 501; i++) {
      many.append(i == 0 ? "" : ",").append("{\"opId\":\"o").append(i).append("\",\"seq\":1}");
    }
    try {
      me.upload(headers(null), as(TECH), stream(many.append("]}").toString()));
      fail("501 events");
    } catch (ApiProblem p) {
      assertEquals(413, p.status);
      assertEquals(500, p.extensions.get("maxEvents"));
    }
    try {
      me.upload(headers(null), as(UNLINKED), stream("{\"deviceId\":\"p-1\",\"events\":[]}"));
      fail("an unlinked user uploaded");
    } catch (AccessDeniedException expected) {
      assertEquals(1, calls.size());
    }
  }

  @Test
  public void declaredLengthsAreNumbersOrNothing() {
    assertEquals(Long.valueOf(12), FieldSyncResource.declaredLength(" 12 "));
    assertNull(FieldSyncResource.declaredLength(null));
    assertNull(FieldSyncResource.declaredLength(""));
    assertNull(FieldSyncResource.declaredLength("12x"));
  }

  // ---- GET /me/sync-status

  @Test
  public void syncStatusOfOneDeviceOrAll() {
    FieldSyncResource me = fieldSync(1024);
    assertEquals(200, me.syncStatus(null, as(TECH)).getStatus());
    assertEquals("status null tina", calls.get(0));
    me.syncStatus("p-1", as(TECH));
    assertEquals("status p-1 tina", calls.get(1));
    assertFieldErrors(() -> me.syncStatus(" ", as(TECH)), "deviceId");
  }

  // ---- /reviews

  @Test
  public void reviewStatusFilter() {
    assertNull(ReviewResource.status(null));
    assertEquals("OPEN", ReviewResource.status("open"));
    assertEquals("RESOLVED", ReviewResource.status("RESOLVED"));
    assertFieldErrors(() -> ReviewResource.status("CLOSED"), "status");
    assertFieldErrors(() -> ReviewResource.status(""), "status");
  }

  @Test
  public void reviewListsPageByLimitAndCursor() {
    ReviewResource reviews = new ReviewResource(reviewService(1));
    Response r = reviews.list("open", "10", "c1");
    assertEquals(200, r.getStatus());
    assertEquals("list OPEN 10 c1", calls.get(0));
    assertFieldErrors(() -> reviews.list(null, "501", null), "limit");
    assertFieldErrors(() -> reviews.list(null, "ten", null), "limit");
  }

  @Test
  public void resolutionsAreValidatedBeforeTheService() {
    ReviewResource reviews = new ReviewResource(reviewService(3));
    assertFieldErrors(() -> ReviewResource.validate(null), "body");
    assertFieldErrors(() -> reviews.resolve("r1", null, res(null, null), as(DISPATCHER)), "choose");
    assertFieldErrors(
        () -> reviews.resolve("r1", null, res("device", null), as(DISPATCHER)), "choose");
    assertFieldErrors(
        () -> reviews.resolve("r1", null, res("SERVER", "x"), as(DISPATCHER)), "value");
    assertFieldErrors(
        () -> reviews.resolve("r1", null, res("VALUE", "x".repeat(10_001)), as(DISPATCHER)),
        "value");
    assertEquals(List.of(), calls);

    Response ok = reviews.resolve("r1", null, res("DEVICE", null), as(DISPATCHER));
    assertEquals(200, ok.getStatus());
    assertEquals("\"4\"", ok.getHeaderString("ETag"));
    assertEquals("resolve r1 DEVICE null dan", calls.get(0));
    reviews.resolve("r1", null, res("VALUE", "gate code 4711"), as(DISPATCHER));
    assertEquals("resolve r1 VALUE gate code 4711 dan", calls.get(1));
  }

  @Test
  public void resolutionIfMatchIsOptionalButChecked() {
    ReviewResource reviews = new ReviewResource(reviewService(3));
    reviews.resolve("r1", "\"3\"", res("SERVER", null), as(DISPATCHER));
    assertEquals(List.of("get r1", "resolve r1 SERVER null dan"), calls);
    calls.clear();
    try {
      reviews.resolve("r1", "\"2\"", res("SERVER", null), as(DISPATCHER));
      fail("a stale If-Match");
    } catch (VersionMismatchException e) {
      assertEquals(3, e.currentVersion());
    }
    assertEquals(List.of("get r1"), calls);
    try {
      reviews.resolve("r1", "*", res("SERVER", null), as(DISPATCHER));
      fail("If-Match *");
    } catch (ApiProblem p) {
      assertEquals(400, p.status);
    }
    try {
      reviews.resolve("r1", "", res("SERVER", null), as(DISPATCHER));
      fail("empty If-Match");
    } catch (ApiProblem p) {
      assertEquals(428, p.status);
    }
  }

  @Test
  public void aReviewIsServedWithItsVersionAsETag() {
    Response r = new ReviewResource(reviewService(5)).get("r9");
    assertEquals("\"5\"", r.getHeaderString("ETag"));
    assertEquals("r9", ((Review) r.getEntity()).id());
  }

  // ---- /sync/rejections

  @Test
  public void rejectionFilters() {
    assertNull(RejectionResource.flag(null));
    assertEquals(Boolean.TRUE, RejectionResource.flag("true"));
    assertEquals(Boolean.FALSE, RejectionResource.flag("FALSE"));
    for (String bad : List.of("", "yes", "1", "0")) {
      assertFieldErrors(() -> RejectionResource.flag(bad), "acknowledged");
    }
    RejectionResource rejections = new RejectionResource(syncService());
    rejections.list("t1", "false", null, null);
    assertEquals("rejections t1 false 50 null", calls.get(0));
    rejections.list(null, null, "500", "c");
    assertEquals("rejections null null 500 c", calls.get(1));
    assertFieldErrors(() -> rejections.list(" ", null, null, null), "technicianId");
    assertFieldErrors(() -> rejections.list(null, "maybe", null, null), "acknowledged");
    assertFieldErrors(() -> rejections.list(null, null, "0", null), "limit");
  }

  @Test
  public void acknowledgingAnswersTheRejection() {
    RejectionResource rejections = new RejectionResource(syncService());
    Response r = rejections.acknowledge("op-7", null, as(DISPATCHER));
    assertEquals(200, r.getStatus());
    assertTrue(((Rejection) r.getEntity()).acknowledged());
    assertEquals("ack op-7 null dan", calls.get(0));
    rejections.acknowledge("op-7", "p-1", as(DISPATCHER));
    assertEquals("ack op-7 p-1 dan", calls.get(1));
    assertFieldErrors(() -> rejections.acknowledge("op-7", "", as(DISPATCHER)), "deviceId");
  }

  // ---- JSON on the wire

  @Test
  public void packetsAreWrittenWithIsoDatesAndDecimalStrings() throws IOException {
    Packet p =
        new Packet(
            "cur",
            Instant.parse("2026-11-25T06:00:00Z"),
            "UTC",
            LocalDate.parse("2026-11-25"),
            LocalDate.parse("2026-11-25"),
            false,
            List.of(),
            List.of(),
            new org.fieldops.api.sync.PacketPriceBook(List.of(), List.of(), List.of()));
    String json = JsonMapping.mapper().writeValueAsString(p);
    assertTrue(json, json.contains("\"generatedAt\":\"2026-11-25T06:00:00Z\""));
    assertTrue(json, json.contains("\"from\":\"2026-11-25\""));
    assertTrue(json, json.contains("\"removed\":[]"));
    assertTrue(json, json.contains("\"priceBook\":{\"laborRates\":[]"));
  }

  // ---- helpers

  private static ReviewResolution res(String choose, String value) {
    return new ReviewResolution(choose, value);
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static EventBatch readQuietly(FieldSyncResource me, String body) {
    try {
      return me.readBatch(stream(body), null);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static AuthFilter.CallerContext as(Caller caller) {
    return new AuthFilter.CallerContext(caller, false);
  }

  private static javax.ws.rs.core.HttpHeaders headers(String contentLength) {
    return (javax.ws.rs.core.HttpHeaders)
        Proxy.newProxyInstance(
            SyncResourcesTest.class.getClassLoader(),
            new Class<?>[] {javax.ws.rs.core.HttpHeaders.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getHeaderString")) {
                return "Content-Length".equalsIgnoreCase((String) args[0]) ? contentLength : null;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static void assertFieldErrors(Runnable action, String... fields) {
    try {
      action.run();
      fail("no 400 naming " + List.of(fields));
    } catch (ValidationException e) {
      assertEquals(List.of(fields), e.errors().stream().map(FieldError::field).distinct().toList());
    }
  }

  private FieldSyncResource fieldSync(long maxBytes) {
    return new FieldSyncResource(
        syncService(), packetService(), technicianService(), () -> maxBytes);
  }

  private TechnicianService technicianService() {
    return (TechnicianService)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {TechnicianService.class},
            (proxy, method, args) -> {
              if (method.getName().equals("findByUsername")) {
                if (!"tina".equals(args[0])) {
                  return Optional.empty();
                }
                return Optional.of(
                    new Technician(
                        "t1", "Tina", "tina", List.of(), true, 1, Instant.EPOCH, Instant.EPOCH));
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private PacketService packetService() {
    return new PacketService() {
      @Override
      public Packet full(int days, Caller caller) {
        calls.add("full " + days + " " + caller.username());
        return packet(false);
      }

      @Override
      public Packet delta(String cursor, Caller caller) {
        calls.add("delta " + cursor + " " + caller.username());
        return packet(true);
      }

      @Override
      public PrimeReport prime(LocalDate day, java.util.function.Consumer<PrimeReport> progress) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private static Packet packet(boolean delta) {
    return new Packet(
        "cur",
        Instant.EPOCH,
        "UTC",
        LocalDate.EPOCH,
        LocalDate.EPOCH,
        delta,
        List.of(),
        List.of(),
        null);
  }

  private SyncService syncService() {
    return new SyncService() {
      @Override
      public List<EventResult> ingest(EventBatch batch, Caller caller) {
        calls.add("ingest " + batch.deviceId() + " " + caller.username());
        lastArg.set(batch);
        return batch.events().stream()
            .map(e -> new EventResult(e.opId(), Outcome.APPLIED, null, false, 2L, null, null))
            .toList();
      }

      @Override
      public void releaseDevice(String deviceId, Caller caller) {
        throw new UnsupportedOperationException();
      }

      @Override
      public SyncStatus status(String deviceId, Caller caller) {
        calls.add("status " + deviceId + " " + caller.username());
        return new SyncStatus(deviceId, null, null, Map.of(), List.of(), List.of(), List.of());
      }

      @Override
      public Page<Rejection> rejections(
          String technicianId, Boolean acknowledged, PageRequest page) {
        calls.add(
            "rejections "
                + technicianId
                + " "
                + acknowledged
                + " "
                + page.limit()
                + " "
                + page.cursor());
        return new Page<>(List.of(), null);
      }

      @Override
      public Rejection acknowledge(String opId, String deviceId, Caller caller) {
        calls.add("ack " + opId + " " + deviceId + " " + caller.username());
        return new Rejection(
            "p-1",
            opId,
            3,
            "j1",
            "part",
            "UNKNOWN_CODE",
            false,
            "no part X",
            "tina",
            Instant.EPOCH,
            Instant.EPOCH,
            true,
            caller.username(),
            Instant.EPOCH);
      }
    };
  }

  private ReviewService reviewService(long version) {
    return new ReviewService() {
      @Override
      public Page<Review> list(String status, PageRequest page) {
        calls.add("list " + status + " " + page.limit() + " " + page.cursor());
        return new Page<>(List.of(), null);
      }

      @Override
      public Review get(String id) {
        calls.add("get " + id);
        return review(id, version);
      }

      @Override
      public Review resolve(String id, ReviewResolution resolution, Caller caller) {
        calls.add(
            "resolve "
                + id
                + " "
                + resolution.choose()
                + " "
                + resolution.value()
                + " "
                + caller.username());
        return review(id, version + 1);
      }
    };
  }

  private static Review review(String id, long version) {
    return new Review(
        id,
        "OPEN",
        "FIELD",
        "j1",
        "p-1",
        "op-1",
        "tina",
        "site.accessNotes",
        "a",
        "b",
        "c",
        Instant.EPOCH,
        Instant.EPOCH,
        null,
        null,
        null,
        null,
        version);
  }

  @Test
  public void sameBatchObjectReachesTheService() throws IOException {
    FieldSyncResource me = fieldSync(1024);
    me.upload(headers("31"), as(TECH), stream("{\"deviceId\":\"p-2\",\"events\":[]}"));
    assertSame(EventBatch.class, lastArg.get().getClass());
  }
}
