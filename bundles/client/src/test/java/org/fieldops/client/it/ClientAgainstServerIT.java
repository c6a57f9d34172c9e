package org.fieldops.client.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.fieldops.client.Change;
import org.fieldops.client.FieldClient;
import org.fieldops.client.HttpClientTransport;
import org.fieldops.client.PacketJob;
import org.fieldops.client.SyncError;
import org.fieldops.client.SyncException;
import org.fieldops.client.SyncResult;
import org.fieldops.client.SyncState;
import org.fieldops.client.Transport;
import org.fieldops.client.TransportResponse;
import org.junit.AfterClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The client SDK and the simulator against the real server of this build ({@link ServerProcess}):
 * offline work while the server is down, a client process killed mid-upload and mid-recording, a
 * retryable rejection recovered, the cache served offline, thousands of events drained in order.
 */
public class ClientAgainstServerIT {
  private static final Transport OFFLINE =
      r -> {
        throw new IOException("offline (test)");
      };

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @AfterClass
  public static void stopServer() throws InterruptedException {
    ServerProcess.stopShared();
  }

  private static FieldClient client(Crew crew, String device, Path store, Transport transport)
      throws IOException {
    return FieldClient.builder()
        .transport(transport)
        .deviceId(device)
        .storage(store)
        .packetDays(2)
        .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
        .build();
  }

  private static Transport http(Crew crew) {
    return new HttpClientTransport(URI.create(crew.server.server()), crew.user, Crew.PASSWORD);
  }

  private static long count(List<String> list, Predicate<String> p) {
    return list.stream().filter(p).count();
  }

  /**
   * A day's work recorded while the server is down (the cached packet read offline), then the
   * server back: every change applied once, and a second sync sends nothing.
   */
  @Test
  public void offlineWorkWhileTheServerIsDownIsAppliedOnceWhenItIsBack() throws Exception {
    ServerProcess server = ServerProcess.shared();
    Crew crew = Crew.create(server, "Offline");
    List<String> jobs = List.of(crew.job("Late", 13), crew.job("Early", 8), crew.job("Mid", 10));
    Path store = tmp.newFolder().toPath();
    try (FieldClient c = client(crew, "offline-phone", store, http(crew))) {
      assertEquals(3, c.refreshPacket().jobs().size());
    }
    server.kill();
    List<Change> recorded = new ArrayList<>();
    byte[] photo = png("offline photo");
    try (FieldClient c = client(crew, "offline-phone", store, http(crew))) {
      // the cache, offline: route order by slot
      List<PacketJob> route = c.jobs();
      assertEquals(
          List.of(jobs.get(1), jobs.get(2), jobs.get(0)),
          route.stream().map(PacketJob::id).toList());
      assertEquals("gate 1234", route.get(0).site().accessNotes());
      assertEquals(List.of("ppe"), route.get(0).checklists().get(0).missing());
      try {
        c.refreshPacket();
        fail("refreshed a packet from a dead server");
      } catch (SyncException e) {
        assertEquals(SyncError.Kind.NETWORK, e.error().kind());
      }
      for (PacketJob job : route) {
        recorded.add(c.recordStatus(job.id(), "EN_ROUTE"));
        recorded.add(c.recordStatus(job.id(), "ON_SITE"));
        recorded.add(c.recordChecklistAnswer(job.id(), "site-safety", "ppe", true));
        Instant start = job.slotStart();
        recorded.add(c.recordLabor(job.id(), start, start.plusSeconds(2700), crew.rate));
        recorded.add(c.recordPart(job.id(), crew.sku, new BigDecimal("2")));
        recorded.add(c.recordNote(job.id(), "offline note on " + job.id()));
        recorded.add(c.recordPhoto(job.id(), photo, "after " + job.id()));
        recorded.add(c.recordSignature(job.id(), png("sig " + job.id()), "Jo Smith"));
        recorded.add(c.recordStatus(job.id(), "COMPLETED"));
        assertEquals("COMPLETED", c.localStatus(job.id()));
      }
      try {
        c.syncNow();
        fail("synced with the server down");
      } catch (SyncException e) {
        assertTrue(e.error().retryable());
      }
      SyncState offline = c.state();
      assertEquals(27, offline.pending().size());
      assertEquals(4, offline.mediaToUpload());
      assertEquals(SyncError.Kind.NETWORK, offline.lastError().kind());
    }

    server.start();
    try (FieldClient c = client(crew, "offline-phone", store, http(crew))) {
      SyncResult r = c.syncUntilDone(Duration.ofSeconds(60));
      assertEquals(27, r.count(Change.Status.APPLIED));
      assertEquals(4, r.mediaUploaded());
      SyncState s = c.state();
      assertTrue(s.pending().isEmpty());
      assertTrue(s.rejected().isEmpty());
      assertNull(s.lastError());
      for (String job : jobs) {
        assertEquals("COMPLETED", c.job(job).orElseThrow().status());
      }
      SyncResult again = c.syncNow();
      assertEquals(0, again.eventsSent());
      System.out.printf(
          "offline day: 27 changes on 3 jobs recorded with the server down, applied after its"
              + " restart in %d ms (%d batch, %d media)%n",
          r.took().toMillis(), r.batches(), r.mediaUploaded());
    }
    for (String job : jobs) {
      JsonNode record = crew.record(job);
      assertEquals("COMPLETED", record.path("status").asText());
      assertEquals(1, record.path("labor").size());
      assertEquals(1, record.path("parts").size());
      List<String> notes = crew.notes(job);
      assertEquals(notes.toString(), 1, count(notes, n -> n.equals("offline note on " + job)));
      assertEquals(1, crew.media(job, "photo"));
      assertEquals(1, crew.media(job, "signature"));
    }
  }

  /**
   * The simulator uploading 1,500 queued events is SIGKILLed while a batch is on the wire (the
   * server has all of it or none of it, and the simulator has no answer for it); started again, it
   * finishes: every event applied once.
   */
  @Test
  public void aClientKilledInTheMiddleOfAnUploadLosesNothingAndDoublesNothing() throws Exception {
    ServerProcess server = ServerProcess.shared();
    Crew crew = Crew.create(server, "Killed");
    String job = crew.job("Many notes", 9);
    Path store = tmp.newFolder().toPath();
    int n = 1500;
    try (FieldClient c = client(crew, "killed-phone", store, http(crew))) {
      c.refreshPacket();
    }
    try (FieldClient c = client(crew, "killed-phone", store, OFFLINE)) {
      for (int i = 0; i < n; i++) {
        c.recordNote(job, "kill-note " + i);
      }
    }
    List<String> sync =
        List.of(
            "--device",
            "killed-phone",
            "--data",
            store.toString(),
            "--days",
            "2",
            "--quiet",
            "sync");
    Child first = Child.start(crew, sync);
    long killedAtSeq = -1;
    int answersRead = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && first.alive()) {
      int sending = first.count(l -> l.startsWith("sending"));
      int answered = first.count(l -> l.startsWith("answered batch"));
      // a batch is on the wire: the server applies a clean batch in one transaction, so when the
      // kill lands it has either all of it (and the answer is lost) or none of it
      if (sending >= 2 && sending == answered + 1) {
        first.kill();
        killedAtSeq = Math.max(0, lastSeq(crew, "killed-phone"));
        answersRead = answered;
        break;
      }
      Thread.sleep(3); // polling interval
    }
    assertTrue("the simulator finished before it could be killed mid-batch", killedAtSeq >= 0);
    long before = System.nanoTime();
    Child second = Child.start(crew, sync);
    assertEquals(second.output(), 0, second.waitFor(120));
    long took = (System.nanoTime() - before) / 1_000_000;

    List<String> notes = crew.notes(job);
    Map<String, Integer> times = new HashMap<>();
    notes.forEach(t -> times.merge(t, 1, Integer::sum));
    for (int i = 0; i < n; i++) {
      assertEquals("kill-note " + i, Integer.valueOf(1), times.get("kill-note " + i));
    }
    assertEquals(n, count(notes, t -> t.startsWith("kill-note ")));
    try (FieldClient c = client(crew, "killed-phone", store, OFFLINE)) {
      SyncState s = c.state();
      assertTrue(s.pending().isEmpty());
      assertEquals(Long.valueOf(n), s.totals().get("APPLIED"));
    }
    String summary =
        second.lines().stream().filter(l -> l.startsWith("synced")).findFirst().orElse("?");
    System.out.printf(
        "killed mid-upload: %d batch answers read, server at seq %d of the in-flight batch;"
            + " restart finished in %d ms: %s%n",
        answersRead, killedAtSeq, took, summary);
  }

  /**
   * The simulator recording a day's work offline is SIGKILLed; every change it printed as queued is
   * in the store afterwards, and running it again finishes the job without doing anything twice.
   */
  @Test
  public void aClientKilledWhileRecordingKeepsEveryChangeItAcknowledged() throws Exception {
    ServerProcess server = ServerProcess.shared();
    Crew crew = Crew.create(server, "Recording");
    String job = crew.job("Recorded", 11);
    Path store = tmp.newFolder().toPath();
    try (FieldClient c = client(crew, "rec-phone", store, http(crew))) {
      c.refreshPacket();
    }
    List<String> work =
        List.of(
            "--device",
            "rec-phone",
            "--data",
            store.toString(),
            "--days",
            "2",
            "--notes",
            "300",
            "--jobs",
            "1",
            "--quiet");
    List<String> offline = new ArrayList<>(work);
    offline.remove("--quiet"); // one line per queued change: what the test checks
    offline.add("--offline");
    offline.add("--pause");
    offline.add("2");
    offline.add("work");
    Child first = Child.start(crew, offline);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (first.count(l -> l.startsWith("queued")) < 120 && first.alive()) {
      if (System.nanoTime() > deadline) {
        fail("no progress: " + first.output());
      }
      Thread.sleep(1); // polling interval
    }
    first.kill();
    List<String> acknowledged = first.lines().stream().filter(l -> l.startsWith("queued")).toList();
    try (FieldClient c = client(crew, "rec-phone", store, OFFLINE)) {
      List<Change> pending = c.state().pending();
      for (String line : acknowledged) {
        String op = line.substring(line.lastIndexOf("op ") + 3, line.length() - 1);
        long seq = Long.parseLong(line.split("#")[1].trim().split("\\s+")[0]);
        assertTrue(
            line, pending.stream().anyMatch(ch -> ch.seq() == seq && ch.opId().startsWith(op)));
      }
      for (int i = 0; i < pending.size(); i++) {
        assertEquals(i + 1, pending.get(i).seq());
      }
      System.out.printf(
          "killed while recording: %d changes printed as queued, %d in the store after the kill%n",
          acknowledged.size(), pending.size());
    }
    List<String> online = new ArrayList<>(work);
    online.add("--password");
    online.add(Crew.PASSWORD);
    online.add("work");
    Child second = Child.start(crew, online);
    assertEquals(second.output(), 0, second.waitFor(120));

    JsonNode record = crew.record(job);
    assertEquals("COMPLETED", record.path("status").asText());
    assertEquals(1, record.path("labor").size());
    assertEquals(1, record.path("parts").size());
    List<String> notes = crew.notes(job);
    for (int k = 1; k <= 300; k++) {
      String text = "Load note " + k + " of 300 on " + job;
      assertEquals(text, 1, count(notes, t -> t.equals(text)));
    }
    assertEquals(1, count(notes, t -> t.startsWith("Arrived on site")));
    assertEquals(1, crew.media(job, "photo"));
    assertEquals(1, crew.media(job, "signature"));
  }

  /**
   * MEDIA_MISSING (the first upload of the photo "lost" on the way) and CHECKLIST_INCOMPLETE (the
   * completion recorded before the answer) recovered by the client: sent again under new opIds once
   * fixed, applied.
   */
  @Test
  public void retryableRejectionsAreSentAgainUnderANewOpIdOnceFixed() throws Exception {
    ServerProcess server = ServerProcess.shared();
    Crew crew = Crew.create(server, "Retry");
    String job = crew.job("Retry", 14);
    Transport http = http(crew);
    AtomicBoolean loseFirstUpload = new AtomicBoolean(true);
    Transport lossy =
        r ->
            r.method().equals("PUT") && loseFirstUpload.getAndSet(false)
                ? new TransportResponse(
                    201, "application/json", null, "{}".getBytes(StandardCharsets.UTF_8))
                : http.exchange(r);
    byte[] photo = png("retry photo");
    try (FieldClient c = client(crew, "retry-phone", tmp.newFolder().toPath(), lossy)) {
      c.refreshPacket();
      c.recordStatus(job, "ON_SITE");
      Change photoChange = c.recordPhoto(job, photo, "gauge");
      Change done = c.recordStatus(job, "COMPLETED");
      c.recordChecklistAnswer(job, "site-safety", "ppe", true);
      SyncResult r = c.syncNow();
      assertEquals(2, r.requeued());
      Map<String, Change> byOp = new HashMap<>();
      r.answered().forEach(a -> byOp.put(a.opId(), a));
      Change missing = byOp.get(photoChange.opId());
      assertEquals(Change.Status.REJECTED, missing.status());
      assertEquals("MEDIA_MISSING", missing.reason());
      assertTrue(missing.retryable());
      Change incomplete = byOp.get(done.opId());
      assertEquals("CHECKLIST_INCOMPLETE", incomplete.reason());
      assertTrue(incomplete.retryable());
      List<Change> resent = r.answered().stream().filter(a -> a.replaces() != null).toList();
      assertEquals(2, resent.size());
      for (Change a : resent) {
        assertEquals(Change.Status.APPLIED, a.status());
      }
      assertTrue(c.state().rejected().isEmpty());
      assertEquals("COMPLETED", c.job(job).orElseThrow().status());
    }
    assertEquals(1, crew.media(job, "photo"));
    assertEquals("COMPLETED", crew.record(job).path("status").asText());
  }

  /**
   * 2,000 events queued offline on two jobs drain in batches of 500, applied in recording order.
   */
  @Test
  public void thousandsOfQueuedEventsDrainInOrder() throws Exception {
    ServerProcess server = ServerProcess.shared();
    Crew crew = Crew.create(server, "Drain");
    String a = crew.job("Drain A", 8);
    String b = crew.job("Drain B", 15);
    Path store = tmp.newFolder().toPath();
    List<String> textsA = new ArrayList<>();
    List<String> textsB = new ArrayList<>();
    try (FieldClient c = client(crew, "drain-phone", store, http(crew))) {
      c.refreshPacket();
    }
    long t0 = System.nanoTime();
    try (FieldClient c = client(crew, "drain-phone", store, OFFLINE)) {
      for (int i = 0; i < 2000; i++) {
        String text = "drain " + i;
        (i % 3 == 0 ? textsB : textsA).add(text);
        c.recordNote(i % 3 == 0 ? b : a, text);
      }
    }
    long recordedMs = (System.nanoTime() - t0) / 1_000_000;
    try (FieldClient c = client(crew, "drain-phone", store, http(crew))) {
      SyncResult r = c.syncNow();
      assertEquals(2000, r.count(Change.Status.APPLIED));
      assertEquals(4, r.batches());
      List<Long> seqs = r.answered().stream().map(Change::seq).toList();
      List<Long> sorted = new ArrayList<>(seqs);
      Collections.sort(sorted);
      assertEquals(sorted, seqs);
      System.out.printf(
          "drain: 2,000 events recorded (fsync each) in %d ms, uploaded and applied in %d ms"
              + " (%d batches)%n",
          recordedMs, r.took().toMillis(), r.batches());
    }
    assertEquals(textsA, crew.notes(a).stream().filter(t -> t.startsWith("drain ")).toList());
    assertEquals(textsB, crew.notes(b).stream().filter(t -> t.startsWith("drain ")).toList());
  }

  private static long lastSeq(Crew crew, String device) throws IOException {
    ServerProcess.Reply r =
        crew.server.call(
            "GET", "/me/sync-status?deviceId=" + device, crew.user, Crew.PASSWORD, null);
    if (r.status() == 404) {
      return 0;
    }
    return r.expect(200).path("lastSeq").asLong();
  }

  static byte[] png(String seed) {
    return TestImages.png(seed);
  }

  /** The simulator jar of this build in a JVM of its own, its output collected line by line. */
  static final class Child {
    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private Child(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                  }
                } catch (IOException ignored) {
                  // the process was killed
                }
              },
              "simulator-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Crew crew, List<String> args) throws IOException {
      String jar = System.getProperty("fieldops.simulator.jar");
      if (jar == null || !Paths.get(jar).toFile().isFile()) {
        throw new IllegalStateException("no simulator jar at " + jar + " (mvn package first)");
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-jar");
      cmd.add(jar);
      cmd.add("--server");
      cmd.add(crew.server.server());
      cmd.add("--user");
      cmd.add(crew.user);
      if (!args.contains("--offline") && !args.contains("--password")) {
        cmd.add("--password");
        cmd.add(Crew.PASSWORD);
      }
      cmd.addAll(args);
      return new Child(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    boolean alive() {
      return process.isAlive();
    }

    int count(Predicate<String> p) {
      synchronized (lines) {
        return (int) lines.stream().filter(p).count();
      }
    }

    List<String> lines() {
      synchronized (lines) {
        return new ArrayList<>(lines);
      }
    }

    String output() {
      return String.join("\n", lines());
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
      assertFalse(process.isAlive());
    }

    int waitFor(int seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("the simulator did not finish in " + seconds + " s:\n" + output());
      }
      Thread.sleep(50); // let the reader drain the last lines
      return process.exitValue();
    }
  }
}
