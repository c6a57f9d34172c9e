package org.fieldops.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.AfterClass;
import org.junit.Test;

/**
 * The server SIGKILLed while technicians' devices upload, restarted on the same data, and the
 * devices retrying: the exactly-once guarantee of {@code POST /me/events} across a crash.
 *
 * <p>A plain JUnit test (not Pax Exam: the test must survive the server), against the distribution
 * run by {@link DistributionProcess}.
 */
public class CrashRecoveryIT {
  private static final int DEVICES = 4;
  private static final int BATCHES = 15;
  private static final int EVENTS = 20;

  /** Batch answers read before the kill (of {@code DEVICES * BATCHES}). */
  private static final int KILL_AFTER = 16;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

  /** One technician's phone: its own job and its queue of note batches. */
  private record Device(
      String id, String job, long baseVersion, List<String> bodies, List<List<String>> opIds) {}

  /** Every answer the devices read, per opId, in the order read. */
  private final Map<String, List<JsonNode>> answers = new ConcurrentHashMap<>();

  /** The batches each device has an answer for. */
  private final Map<String, Set<Integer>> answered = new ConcurrentHashMap<>();

  /** The batch each device was sending when the server died. */
  private final Map<String, Integer> unanswered = new ConcurrentHashMap<>();

  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger read = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger retried = new AtomicInteger();
  private DistributionProcess server;
  private FieldCrew crew;

  @AfterClass
  public static void stopServer() throws InterruptedException {
    DistributionProcess.stopShared();
  }

  /**
   * Four devices upload 15 batches of 20 note events each (one job per device), back to back. After
   * 16 answers have been read, at a moment when the server has committed part of a batch whose
   * answer is not read yet (a batch in flight on every device), the server JVM is SIGKILLed and
   * started again on the same installation. Each device then re-sends the batch whose answer it did
   * not read and the rest of its queue, and finally every batch again.
   *
   * <p>Expected: every one of the 1,200 events is answered APPLIED at most once, every other answer
   * for it is DUPLICATE with {@code firstOutcome} APPLIED and the same {@code jobVersion}, the
   * final answer is DUPLICATE/APPLIED, each event has its own job version, and each job's {@code
   * notes} hold each of its events' texts exactly once and nothing else: nothing lost, nothing
   * doubled.
   */
  @Test
  public void aServerKilledMidUploadLosesNothingAndDoublesNothing() throws Exception {
    long t0 = System.nanoTime();
    server = DistributionProcess.shared();
    crew = FieldCrew.create(server, "Crash");
    List<Device> devices = new ArrayList<>();
    for (int d = 0; d < DEVICES; d++) {
      devices.add(device(d, crew.dispatchedJob("Crash job " + d, d)));
    }
    long setUp = System.nanoTime();

    ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
    long killAt;
    int readBeforeKill;
    int inFlightAtKill;
    List<Integer> stoppedAt = new ArrayList<>();
    try {
      List<Future<Integer>> firstRun = new ArrayList<>();
      for (Device d : devices) {
        firstRun.add(pool.submit(() -> uploadUntilFailure(d)));
      }
      String midBatch = awaitKillPoint(devices, firstRun);
      readBeforeKill = read.get();
      inFlightAtKill = inFlight.get();
      killAt = System.nanoTime();
      server.kill();
      long killed = System.nanoTime();
      for (int d = 0; d < DEVICES; d++) {
        stoppedAt.add(firstRun.get(d).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        unanswered.put(devices.get(d).id(), stoppedAt.get(d));
      }
      assertTrue("the kill came before any answer", readBeforeKill > 0);
      assertTrue(
          "the kill came too late: the uploads had already finished",
          stoppedAt.stream().anyMatch(b -> b < BATCHES));
      log.add(
          String.format(
              "killed (%s): %d batch answers read before the kill, %d uploads in flight at the"
                  + " kill, SIGKILL to exit %d ms; devices stopped at batches %s",
              midBatch, readBeforeKill, inFlightAtKill, (killed - killAt) / 1_000_000, stoppedAt));

      server.start(); // same installation, same Derby database: recovers its log
      long restarted = System.nanoTime();
      log.add("restarted after " + (restarted - killed) / 1_000_000 + " ms");

      // each device re-sends what it has no answer for (the in-flight batch, then its queue) ...
      runOnAll(pool, devices, d -> resend(d, false));
      long resent = System.nanoTime();
      // ... and then, as a device that lost its state would, every batch again
      runOnAll(pool, devices, d -> resend(d, true));
      log.add(
          String.format(
              "set-up %d ms, uploads before kill %d ms, re-sends %d ms, all again %d ms",
              (setUp - t0) / 1_000_000,
              (killAt - setUp) / 1_000_000,
              (resent - restarted) / 1_000_000,
              (System.nanoTime() - resent) / 1_000_000));
    } finally {
      pool.shutdownNow();
    }

    List<String> problems = new ArrayList<>();
    for (Device d : devices) {
      check(d, problems);
    }
    log.add("network errors or 5xx answers retried after the restart: " + retried.get());
    System.out.println("CrashRecoveryIT:\n  " + String.join("\n  ", log));
    if (!problems.isEmpty()) {
      fail(
          problems.size()
              + " problem(s) after the crash (first 20):\n"
              + String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
    }
  }

  /**
   * Waits until {@link #KILL_AFTER} answers were read and the server has committed part, not all,
   * of a batch whose answer a device has not read yet (seen in its job's version: each note adds
   * one): the moment to kill.
   */
  private String awaitKillPoint(List<Device> devices, List<Future<Integer>> uploads)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      if (uploads.stream().allMatch(Future::isDone)) {
        return "uploads over before the kill point";
      }
      if (read.get() >= 2 * KILL_AFTER) {
        return "no partly committed batch seen, killed anyway";
      }
      if (read.get() >= KILL_AFTER) {
        for (Device d : devices) {
          int answers = answered.get(d.id()).size();
          long committed = crew.job(d.job()).path("version").asLong() - d.baseVersion();
          if (committed > (long) answers * EVENTS
              && committed < (long) (answers + 1) * EVENTS
              && answered.get(d.id()).size() == answers) {
            return String.format(
                "%s had %d of %d events of its batch %d committed",
                d.id().substring(0, 7), committed - (long) answers * EVENTS, EVENTS, answers);
          }
        }
      }
      Thread.sleep(2); // polling interval
    }
    return "no partly committed batch seen within 180 s, killed anyway";
  }

  private Device device(int index, String job) throws IOException {
    String id = "crash-" + index + "-" + UUID.randomUUID();
    List<String> bodies = new ArrayList<>();
    List<List<String>> opIds = new ArrayList<>();
    long seq = 1;
    for (int b = 0; b < BATCHES; b++) {
      List<ObjectNode> events = new ArrayList<>();
      List<String> ops = new ArrayList<>();
      for (int e = 0; e < EVENTS; e++) {
        String opId = UUID.randomUUID().toString();
        events.add(FieldCrew.event(opId, seq++, job, "note", FieldCrew.note(text(opId))));
        ops.add(opId);
      }
      bodies.add(FieldCrew.batch(id, events));
      opIds.add(ops);
    }
    answered.put(id, ConcurrentHashMap.newKeySet());
    return new Device(id, job, crew.job(job).path("version").asLong(), bodies, opIds);
  }

  private static String text(String opId) {
    return "crash note " + opId;
  }

  /** Uploads the queue in order until the first failure; returns the batch that failed. */
  private int uploadUntilFailure(Device d) {
    for (int b = 0; b < BATCHES; b++) {
      inFlight.incrementAndGet();
      DistributionProcess.Reply r;
      try {
        r = upload(d, b);
      } catch (IOException e) {
        return b; // the server died: this batch's answer is lost
      } finally {
        inFlight.decrementAndGet();
      }
      if (r.status() >= 500) {
        log.add(d.id() + " batch " + b + ": HTTP " + r.status() + " before the kill: " + r.body());
        return b;
      }
      record(d, b, r);
      read.incrementAndGet();
    }
    return BATCHES;
  }

  /** Sends the batches without an answer (or all), each until it is answered. */
  private void resend(Device d, boolean all) throws IOException, InterruptedException {
    for (int b = 0; b < BATCHES; b++) {
      if (!all && answered.get(d.id()).contains(b)) {
        continue;
      }
      boolean wasInFlight = !all && unanswered.get(d.id()) == b;
      long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
      while (true) {
        DistributionProcess.Reply r = null;
        try {
          r = upload(d, b);
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
        if (r != null && r.status() == 200) {
          JsonNode results = record(d, b, r);
          if (wasInFlight) {
            int dup = 0;
            for (JsonNode x : results) {
              dup += "DUPLICATE".equals(x.path("outcome").asText()) ? 1 : 0;
            }
            log.add(
                String.format(
                    "%s batch %d (unanswered at the kill): %d of %d events had been committed"
                        + " before the kill",
                    d.id().substring(0, 7), b, dup, EVENTS));
          }
          break;
        }
        retried.incrementAndGet();
        if (r != null) {
          log.add(d.id() + " batch " + b + ": HTTP " + r.status() + " after restart: " + r.body());
        }
        if (System.nanoTime() > deadline) {
          fail("batch " + b + " of " + d.id() + " never answered 200 after the restart");
        }
        Thread.sleep(200); // a device's back-off before it sends again
      }
    }
  }

  private DistributionProcess.Reply upload(Device d, int b) throws IOException {
    DistributionProcess.Reply r =
        server.send(
            "POST",
            "/me/events",
            crew.techUser,
            FieldCrew.TECH_PASSWORD,
            d.bodies().get(b),
            CALL_TIMEOUT);
    if (r.status() != 200 && r.status() < 500) {
      throw new AssertionError("batch " + b + " of " + d.id() + ": HTTP " + r.status() + r.body());
    }
    return r;
  }

  private JsonNode record(Device d, int b, DistributionProcess.Reply r) {
    JsonNode results = r.json().path("results");
    List<String> ops = d.opIds().get(b);
    if (results.size() != ops.size()) {
      throw new AssertionError("batch " + b + ": " + results.size() + " results: " + r.body());
    }
    for (int i = 0; i < ops.size(); i++) {
      JsonNode result = results.get(i);
      if (!ops.get(i).equals(result.path("opId").asText())) {
        throw new AssertionError("results out of request order in batch " + b + ": " + r.body());
      }
      answers.computeIfAbsent(ops.get(i), k -> Collections.synchronizedList(new ArrayList<>()));
      answers.get(ops.get(i)).add(result);
    }
    answered.get(d.id()).add(b);
    return results;
  }

  /** Checks every event of the device and its job's notes; adds what is wrong to problems. */
  private void check(Device d, List<String> problems) throws IOException {
    Set<Long> versions = new HashSet<>();
    Map<String, Integer> expected = new HashMap<>();
    for (List<String> ops : d.opIds()) {
      for (String opId : ops) {
        expected.put(text(opId), 0);
        List<JsonNode> said = answers.getOrDefault(opId, List.of());
        int applied = 0;
        Long appliedVersion = null;
        for (JsonNode a : said) {
          String outcome = a.path("outcome").asText();
          if ("APPLIED".equals(outcome)) {
            applied++;
            appliedVersion = a.path("jobVersion").asLong();
          } else if (!"DUPLICATE".equals(outcome)
              || !"APPLIED".equals(a.path("firstOutcome").asText())) {
            problems.add("event " + opId + " answered " + a);
          }
        }
        JsonNode last = said.isEmpty() ? null : said.get(said.size() - 1);
        if (last == null || !"DUPLICATE".equals(last.path("outcome").asText())) {
          problems.add("event " + opId + ": final answer " + last + " (all: " + said + ")");
          continue;
        }
        if (applied > 1) {
          problems.add("event " + opId + " APPLIED " + applied + " times: " + said);
        }
        long firstVersion = last.path("jobVersion").asLong();
        if (appliedVersion != null && appliedVersion != firstVersion) {
          problems.add("event " + opId + ": APPLIED at v" + appliedVersion + ", then " + last);
        }
        if (!versions.add(firstVersion)) {
          problems.add("event " + opId + " shares job version " + firstVersion + " with another");
        }
      }
    }
    JsonNode job = crew.job(d.job());
    int total = 0;
    for (JsonNode note : job.path("notes")) {
      total++;
      String t = note.path("text").asText();
      if (!expected.containsKey(t)) {
        problems.add("job " + d.job() + " has a note nobody sent: " + note);
      } else {
        expected.merge(t, 1, Integer::sum);
      }
    }
    expected.forEach(
        (t, n) -> {
          if (n != 1) {
            problems.add("job " + d.job() + ": '" + t + "' is in the notes " + n + " times");
          }
        });
    log.add(
        String.format(
            "job %s: %d notes for %d events sent, version %d",
            d.job(), total, expected.size(), job.path("version").asLong()));
  }

  private interface DeviceTask {
    void run(Device d) throws Exception;
  }

  private static void runOnAll(ExecutorService pool, List<Device> devices, DeviceTask task)
      throws Exception {
    List<Future<?>> all = new ArrayList<>();
    for (Device d : devices) {
      all.add(
          pool.submit(
              () -> {
                task.run(d);
                return null;
              }));
    }
    for (Future<?> f : all) {
      f.get(5, TimeUnit.MINUTES);
    }
  }
}
