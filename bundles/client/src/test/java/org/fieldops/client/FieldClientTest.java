package org.fieldops.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FieldClientTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final FakeServer server = new FakeServer();
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T09:00:00Z"));
  private Path store;
  private FieldClient client;

  @Before
  public void setUp() throws IOException {
    store = tmp.newFolder("store").toPath();
    server.addJob("j2", "2026-11-26T10:00:00Z", "DISPATCHED");
    server.addJob("j1", "2026-11-26T08:00:00Z", "ON_SITE", "ppe");
    client = open(server, 500);
  }

  @After
  public void tearDown() throws IOException {
    if (client != null) {
      client.close();
    }
  }

  private FieldClient open(Transport transport, int batch) throws IOException {
    return FieldClient.builder()
        .transport(transport)
        .deviceId("phone-1")
        .storage(store)
        .batchSize(batch)
        .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(40))
        .clock(clock)
        .random(new Random(7))
        .build();
  }

  private FieldClient reopen(Transport transport, int batch) throws IOException {
    client.close();
    client = open(transport, batch);
    return client;
  }

  private static final Transport OFFLINE =
      r -> {
        throw new IOException("offline");
      };

  static byte[] png(String seed) {
    byte[] head = {
      (byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'I', 'H', 'D', 'R'
    };
    byte[] s = seed.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + s.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(s, 0, out, head.length, s.length);
    return out;
  }

  @Test
  public void recordedChangesSurviveAReopenAndAreAppliedOnce() throws Exception {
    client.refreshPacket();
    reopen(OFFLINE, 500);
    List<Change> recorded = new ArrayList<>();
    recorded.add(client.recordStatus("j2", "EN_ROUTE"));
    recorded.add(client.recordNote("j2", "gate was locked"));
    recorded.add(client.recordPart("j2", "FLT-2025", new BigDecimal("2")));
    recorded.add(
        client.recordLabor("j2", clock.instant(), clock.instant().plusSeconds(1800), "STD"));
    assertEquals(Long.valueOf(2), recorded.get(0).baseVersion());
    try {
      client.syncNow();
      fail("synced offline");
    } catch (SyncException e) {
      assertEquals(SyncError.Kind.NETWORK, e.error().kind());
      assertTrue(e.error().retryable());
      assertEquals(e.error(), client.state().lastError());
    }
    reopen(server, 500); // as after a killed process
    List<Change> pending = client.state().pending();
    assertEquals(4, pending.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(recorded.get(i).opId(), pending.get(i).opId());
      assertEquals(i + 1, pending.get(i).seq());
    }
    SyncResult r = client.syncNow();
    assertEquals(4, r.count(Change.Status.APPLIED));
    for (Change c : recorded) {
      assertEquals(1, server.appliedCount(c.opId()));
    }
    SyncState s = client.state();
    assertTrue(s.pending().isEmpty());
    assertNull(s.lastError());
    assertNotNull(s.lastSyncAt());
    assertEquals(Long.valueOf(4), s.totals().get("APPLIED"));
    assertEquals("EN_ROUTE", client.job("j2").orElseThrow().status());
  }

  @Test
  public void thousandsOfEventsGoInBatchesOfAtMost500InSeqOrder() throws Exception {
    client.refreshPacket();
    List<String> opIds = new ArrayList<>();
    for (int i = 0; i < 1234; i++) {
      opIds.add(client.recordNote(i % 2 == 0 ? "j1" : "j2", "n" + i).opId());
    }
    SyncResult r = client.syncNow();
    assertEquals(List.of(500, 500, 234), server.batches.stream().map(List::size).toList());
    List<String> sent = new ArrayList<>();
    server.batches.forEach(sent::addAll);
    assertEquals(opIds, sent);
    List<String> appliedOrder =
        server.appliedEvents.stream().map(e -> e.get("opId").asText()).toList();
    assertEquals(opIds, appliedOrder);
    assertEquals(1234, r.count(Change.Status.APPLIED));
    assertEquals(3, r.batches());
  }

  @Test
  public void aLostAnswerIsResentUnchangedAndAnsweredDuplicate() throws Exception {
    client.refreshPacket();
    List<Change> recorded =
        List.of(
            client.recordNote("j1", "a"),
            client.recordNote("j1", "b"),
            client.recordStatus("j2", "EN_ROUTE"));
    AtomicInteger posts = new AtomicInteger();
    server.faults =
        r ->
            r.method().equals("POST") && posts.incrementAndGet() == 1
                ? FakeServer.Fault.DROP_AFTER
                : FakeServer.Fault.NONE;
    List<SyncError> errors = new CopyOnWriteArrayList<>();
    client.addListener(
        new ClientListener() {
          @Override
          public void syncFailed(SyncError error) {
            errors.add(error);
          }
        });
    try {
      client.syncNow();
      fail("the lost answer was not surfaced");
    } catch (SyncException e) {
      assertEquals(SyncError.Kind.NETWORK, e.error().kind());
    }
    assertEquals(1, errors.size());
    assertEquals(3, client.state().pending().size());
    SyncResult r = client.syncNow();
    assertEquals(3, r.duplicates());
    assertEquals(3, r.count(Change.Status.APPLIED));
    assertEquals(server.batches.get(0), server.batches.get(1)); // the same events, same opIds
    for (Change c : recorded) {
      assertEquals(1, server.appliedCount(c.opId()));
    }
  }

  @Test
  public void onlyEventsWithoutAnAnswerAreSentAgain() throws Exception {
    client = reopen(server, 10);
    client.refreshPacket();
    List<String> opIds = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      opIds.add(client.recordNote("j1", "n" + i).opId());
    }
    AtomicInteger posts = new AtomicInteger();
    server.faults =
        r ->
            r.method().equals("POST") && posts.incrementAndGet() == 2
                ? FakeServer.Fault.DROP_BEFORE
                : FakeServer.Fault.NONE;
    try {
      client.syncNow();
      fail();
    } catch (SyncException expected) {
      assertEquals(15, client.state().pending().size());
    }
    client.syncNow();
    assertEquals(opIds.subList(0, 10), server.batches.get(0));
    assertEquals(opIds.subList(10, 20), server.batches.get(1));
    assertEquals(opIds.subList(20, 25), server.batches.get(2));
    assertEquals(3, server.batches.size());
  }

  @Test
  public void mediaGoFirstResumeWhereTheyStoppedAndAreNotUploadedTwice() throws Exception {
    client.refreshPacket();
    byte[] photo = png("photo");
    byte[] signature = png("signature");
    client.recordPhoto("j1", photo, "after");
    client.recordSignature("j1", signature, "Jo Smith");
    assertEquals(2, client.state().mediaToUpload());
    AtomicInteger puts = new AtomicInteger();
    server.faults =
        r ->
            r.method().equals("PUT") && puts.incrementAndGet() == 2
                ? FakeServer.Fault.DROP_BEFORE
                : FakeServer.Fault.NONE;
    try {
      client.syncNow();
      fail();
    } catch (SyncException expected) {
      assertTrue(server.batches.isEmpty()); // no event before its media
    }
    reopen(server, 500);
    assertEquals(1, client.state().mediaToUpload());
    server.log.clear();
    client.syncNow();
    List<String> calls = server.log.stream().filter(l -> !l.startsWith("GET")).toList();
    assertEquals(List.of("PUT /media/" + FakeServer.sha256(signature), "POST /me/events"), calls);
    assertEquals(0, client.state().mediaToUpload());
  }

  @Test
  public void aMissingMediumIsUploadedAgainAndTheEventResentUnderANewOpId() throws Exception {
    client.refreshPacket();
    server.loseMediaUploads = 1; // the server answers 201 but does not keep it
    Change photo = client.recordPhoto("j1", png("lost"), "lost once");
    SyncResult r = client.syncNow();
    assertEquals(1, r.requeued());
    SyncState s = client.state();
    assertTrue(s.rejected().isEmpty());
    assertTrue(s.pending().isEmpty());
    Change first = r.answered().get(0);
    assertEquals(Change.Status.REJECTED, first.status());
    assertEquals("MEDIA_MISSING", first.reason());
    Change second = r.answered().get(1);
    assertEquals(Change.Status.APPLIED, second.status());
    assertEquals(photo.opId(), second.replaces());
    assertNotEquals(photo.opId(), second.opId());
    assertTrue(second.seq() > photo.seq());
    assertEquals(1, server.appliedCount(second.opId()));
    assertEquals(0, server.appliedCount(photo.opId()));
    long puts = server.log.stream().filter(l -> l.startsWith("PUT")).count();
    assertEquals(2, puts);
  }

  @Test
  public void aCompletionRefusedForOpenItemsIsSentAgainOnceTheyAreAnswered() throws Exception {
    client.refreshPacket();
    Change done = client.recordStatus("j1", "COMPLETED"); // before the answer: refused
    client.recordChecklistAnswer("j1", "site-safety", "ppe", true);
    SyncResult r = client.syncNow();
    assertEquals(1, r.requeued());
    assertEquals("COMPLETED", client.job("j1").orElseThrow().status());
    assertTrue(client.state().rejected().isEmpty());
    assertEquals(Change.Status.REJECTED, r.answered().get(0).status());
    assertEquals(done.opId(), r.answered().get(0).opId());
    assertEquals("CHECKLIST_INCOMPLETE", r.answered().get(0).reason());
  }

  @Test
  public void aRetryableRejectionWithoutItsCauseFixedWaitsForTheApp() throws Exception {
    client.refreshPacket();
    Change done = client.recordStatus("j1", "COMPLETED");
    client.syncNow();
    SyncState s = client.state();
    assertEquals(1, s.rejected().size());
    assertEquals(done.opId(), s.rejected().get(0).opId());
    assertTrue(s.rejected().get(0).retryable());
    assertTrue(s.rejected().get(0).message().contains("site-safety/ppe"));
    client.recordChecklistAnswer("j1", "site-safety", "ppe", true);
    Change again = client.retry(done.opId());
    assertEquals(done.opId(), again.replaces());
    client.syncNow();
    assertEquals("COMPLETED", client.job("j1").orElseThrow().status());
    assertTrue(client.state().rejected().isEmpty());
  }

  @Test
  public void batchesAreSplitWhenTheServerSaysTooLarge() throws Exception {
    client.refreshPacket();
    server.maxEvents = 100;
    for (int i = 0; i < 260; i++) {
      client.recordNote("j1", "n" + i);
    }
    SyncResult r = client.syncNow();
    assertEquals(260, r.count(Change.Status.APPLIED));
    assertTrue(server.batches.stream().allMatch(b -> b.size() <= 100));
  }

  @Test
  public void wrongCredentialsAreSurfacedAndNotRetried() throws Exception {
    server.faults = r -> FakeServer.Fault.S401;
    client.recordNote("j1", "x");
    long t0 = System.nanoTime();
    try {
      client.syncUntilDone(Duration.ofSeconds(30));
      fail();
    } catch (SyncException e) {
      assertEquals(SyncError.Kind.UNAUTHORIZED, e.error().kind());
      assertFalse(e.error().retryable());
      assertTrue(e.getMessage(), e.getMessage().contains("bad password"));
    }
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    assertEquals(1, server.log.size());
    assertEquals(SyncError.Kind.UNAUTHORIZED, client.state().lastError().kind());
  }

  @Test
  public void syncUntilDoneBacksOffAndSucceeds() throws Exception {
    client.recordNote("j1", "x");
    AtomicInteger calls = new AtomicInteger();
    server.faults =
        r -> calls.incrementAndGet() <= 3 ? FakeServer.Fault.S503 : FakeServer.Fault.NONE;
    // Retry-After 1 s is a floor: three failures take at least 3 s
    long t0 = System.nanoTime();
    SyncResult r = client.syncUntilDone(Duration.ofSeconds(30));
    assertTrue(System.nanoTime() - t0 >= 3_000_000_000L);
    assertEquals(1, r.count(Change.Status.APPLIED));
  }

  @Test
  public void thePacketTakesDeltasHonoursRemovedKeepsRouteOrderAndReadsOffline() throws Exception {
    Packet full = client.refreshPacket();
    assertEquals(List.of("j1", "j2"), full.jobs().stream().map(PacketJob::id).toList());
    assertEquals(1, full.priceBook().parts().size());
    assertEquals(List.of("ppe"), full.jobs().get(0).checklists().get(0).missing());
    server.unassign("j1");
    server.addJob("j3", "2026-11-26T09:00:00Z", "DISPATCHED");
    server.changePriceBook();
    server.log.clear();
    Packet delta = client.refreshPacket();
    assertTrue(server.log.get(0).startsWith("GET /me/packet?since="));
    assertEquals(List.of("j3", "j2"), delta.jobs().stream().map(PacketJob::id).toList());
    assertEquals(2, delta.priceBook().parts().size());
    Packet again = client.refreshPacket(); // nothing changed: priceBook null keeps ours
    assertEquals(2, again.priceBook().parts().size());
    assertEquals(delta.jobs(), again.jobs());

    reopen(OFFLINE, 500);
    assertEquals(List.of("j3", "j2"), client.jobs().stream().map(PacketJob::id).toList());
    assertEquals("gate 1234", client.job("j2").orElseThrow().site().accessNotes());
    try {
      client.refreshPacket();
      fail();
    } catch (SyncException e) {
      assertEquals(SyncError.Kind.NETWORK, e.error().kind());
    }
    assertEquals(2, client.jobs().size());
  }

  @Test
  public void aNewDayOrAnUnknownCursorBringsAFullPacket() throws Exception {
    client.refreshPacket();
    clock.set(Instant.parse("2026-11-27T06:00:00Z"));
    server.today = "2026-11-27";
    server.log.clear();
    client.refreshPacket();
    assertTrue(server.log.get(0), server.log.get(0).startsWith("GET /me/packet?days=1"));
    assertEquals("2026-11-27", client.packet().orElseThrow().from().toString());

    FakeServer other = new FakeServer(); // forgets our cursors: 400 on since
    other.today = "2026-11-27";
    other.addJob("j9", "2026-11-27T08:00:00Z", "DISPATCHED");
    reopen(
        r ->
            r.path().contains("since=")
                ? new TransportResponse(
                    400, "application/problem+json", null, "{}".getBytes(StandardCharsets.UTF_8))
                : other.exchange(r),
        500);
    client.refreshPacket();
    assertEquals(List.of("j9"), client.jobs().stream().map(PacketJob::id).toList());
  }

  @Test
  public void localStatusShowsUnsentMoves() throws Exception {
    client.refreshPacket();
    assertEquals("DISPATCHED", client.localStatus("j2"));
    client.recordStatus("j2", "EN_ROUTE");
    client.recordStatus("j2", "ON_SITE");
    assertEquals("ON_SITE", client.localStatus("j2"));
    client.syncNow();
    assertEquals("ON_SITE", client.localStatus("j2"));
    assertEquals("ON_SITE", client.job("j2").orElseThrow().status());
    assertNull(client.localStatus("nope"));
    List<Change> changes = client.changes("j2");
    assertEquals(2, changes.size());
    assertTrue(changes.stream().allMatch(c -> c.status() == Change.Status.APPLIED));
    assertTrue(client.changes("j1").isEmpty());
  }

  @Test
  public void reviewsShowTheirResolutionUntilDismissed() throws Exception {
    client.refreshPacket();
    Change edit = client.recordFieldEdit("j1", "site.accessNotes", "gate 1234", "gate 4321");
    client.syncNow();
    SyncState s = client.state();
    assertEquals(1, s.inReview().size());
    assertEquals("OPEN", s.inReview().get(0).reviewStatus());
    server.reviewStatus.put(edit.opId(), "RESOLVED");
    client.syncNow();
    assertEquals("RESOLVED", client.state().inReview().get(0).reviewStatus());
    assertEquals("SERVER", client.state().inReview().get(0).resolution());
    client.dismiss(edit.opId());
    assertTrue(client.state().inReview().isEmpty());
    reopen(server, 500);
    assertTrue(client.state().inReview().isEmpty());
  }

  @Test
  public void aFailingListenerDoesNotStopTheSync() throws Exception {
    client.addListener(
        new ClientListener() {
          @Override
          public void stateChanged(SyncState state) {
            throw new IllegalStateException("listener bug");
          }
        });
    client.recordNote("j1", "x");
    assertEquals(1, client.syncNow().count(Change.Status.APPLIED));
  }

  @Test
  public void backgroundSyncUploadsWhatIsRecordedAndStopsOnClose() throws Exception {
    Set<String> threads = new HashSet<>();
    client.addListener(
        new ClientListener() {
          @Override
          public void batchSending(List<Change> batch) {
            threads.add(Thread.currentThread().getName());
          }
        });
    client.startBackgroundSync(Duration.ofHours(1));
    Change c = client.recordNote("j1", "in the background");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (server.appliedCount(c.opId()) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10); // polling interval
    }
    assertEquals(1, server.appliedCount(c.opId()));
    assertEquals(Set.of("fieldops-sync-phone-1"), threads);
    client.close();
    client = null;
    Thread.sleep(50);
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals("fieldops-sync-phone-1") && t.isAlive()));
  }

  @Test
  public void aStoreIsOpenedByOneClientOnly() throws Exception {
    try {
      open(server, 500);
      fail("two clients on one store");
    } catch (IOException expected) {
      assertTrue(expected.getMessage().contains("in use"));
    }
  }

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    void set(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
