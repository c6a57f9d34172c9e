package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.CustomerServiceImplTest.DISPATCHER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.JobChange;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.jobs.internal.JobRecorder.FieldChange;
import org.fieldops.store.WorkOrderEntity;
import org.fieldops.store.testing.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * ARCHITECTURE.md, sync rule 4: a reader that follows the change log by cursor never misses a
 * change, whatever order the writers commit in. Writers hold their transaction open for a random
 * while after inserting their change row, so commit order differs from insertion (and id) order; a
 * sequencer stamps continuously on its own thread and one reader follows with {@code after(last,
 * 50)}.
 */
public class ChangeLogConcurrencyTest {
  private static final int WRITERS = 8;
  private static final int PER_WRITER = 100;
  private static final Duration DEADLINE = Duration.ofSeconds(25);

  @Rule public final TestDatabase db = new TestDatabase();

  private final Instant t0 = Instant.now();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<ChangeSequencer> sequencers = new ArrayList<>();
  private WorkOrderServiceImpl jobs;
  private String customer;
  private String site;

  @Before
  public void setUp() {
    Clock clock = Clock.systemUTC();
    customer =
        new CustomerServiceImpl(db, clock)
            .create(new CustomerDraft("Acme", null, null, null, "USD"), DISPATCHER)
            .id();
    site =
        new SiteServiceImpl(db, clock)
            .create(new SiteDraft(customer, "1 Main St", null, null, null), DISPATCHER)
            .id();
    jobs =
        new WorkOrderServiceImpl(
            db, new PriceBookServiceImpl(db), new ChecklistRegistry(), clock, ZoneId.of("UTC"));
  }

  @After
  public void tearDown() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(10_000);
    }
    sequencers.forEach(ChangeSequencer::deactivate);
  }

  private WorkOrder createJob(String title) {
    return jobs.create(
        new WorkOrderDraft(
            customer,
            site,
            null,
            title,
            null,
            "hvac.maintenance",
            null,
            t0.minus(Duration.ofDays(1)),
            t0.plus(Duration.ofDays(30)),
            null,
            null),
        DISPATCHER);
  }

  private ChangeSequencer sequencer() {
    ChangeSequencer s = new ChangeSequencer(db, Clock.systemUTC(), 500, Duration.ofSeconds(10));
    sequencers.add(s);
    return s;
  }

  private void start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** Runs rounds back to back until the test stops it. */
  private void runSequencer(String name, ChangeSequencer s) {
    start(
        name,
        () -> {
          while (!stop.get()) {
            s.round();
          }
        });
  }

  /** What the one reader saw, in the order it saw it. */
  static final class Reading {
    final List<Long> cursors = Collections.synchronizedList(new ArrayList<>());
    final List<JobChange> changes = Collections.synchronizedList(new ArrayList<>());
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    volatile long last;
    volatile int retries;
    volatile Throwable failure;
    final CountDownLatch done = new CountDownLatch(1);
  }

  /**
   * Follows the log with after(last, 50) until it has seen {@code total} changes (or the deadline).
   */
  private Reading follow(ChangeSequencer log, AtomicBoolean writersDone, AtomicInteger total) {
    return follow(log, writersDone, total, false);
  }

  /**
   * @param retry whether a failed read is tried again (a deadlock victim, say) rather than the end
   */
  private Reading follow(
      ChangeSequencer log, AtomicBoolean writersDone, AtomicInteger total, boolean retry) {
    Reading r = new Reading();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    start(
        "reader",
        () -> {
          try {
            while (!stop.get() && System.nanoTime() < deadline) {
              List<JobChange> batch;
              try {
                batch = log.after(r.last, 50);
              } catch (RuntimeException e) {
                if (!retry) {
                  throw e;
                }
                r.retries++;
                Thread.sleep(5);
                continue;
              }
              for (JobChange c : batch) {
                if (c.cursor() <= r.last) {
                  r.problems.add(
                      "cursor " + c.cursor() + " received after cursor " + r.last + " was passed");
                } else if (c.cursor() != r.last + 1) {
                  r.problems.add("gap: cursor " + c.cursor() + " directly after " + r.last);
                }
                r.cursors.add(c.cursor());
                r.changes.add(c);
                r.last = Math.max(r.last, c.cursor());
              }
              if (batch.isEmpty()) {
                if (writersDone.get() && r.changes.size() >= total.get()) {
                  break;
                }
                Thread.sleep(1);
              }
            }
          } catch (Throwable e) {
            r.failure = e;
          } finally {
            r.done.countDown();
          }
        });
    return r;
  }

  private static String key(String jobId, long version) {
    return jobId + "@" + version;
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  private long unstamped() {
    return db.read(
        em ->
            em.createQuery("SELECT COUNT(c) FROM ChangeEntity c WHERE c.cursor IS NULL", Long.class)
                .getSingleResult());
  }

  /**
   * The reader saw every written change exactly once, at cursors exactly 1..N, never going back.
   */
  private void assertSawEverythingOnce(Reading r, Set<String> written, ChangeSequencer log)
      throws Exception {
    assertTrue(
        "reader did not finish in time; saw " + r.changes.size() + " of " + written.size(),
        r.done.await(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS));
    if (r.failure != null) {
      throw new AssertionError("reader failed", r.failure);
    }
    assertEquals("reader problems", List.of(), r.problems);
    int n = written.size();
    assertEquals(range(1, n), r.cursors);
    Map<String, Integer> seen = new HashMap<>();
    for (JobChange c : r.changes) {
      seen.merge(key(c.jobId(), c.version()), 1, Integer::sum);
    }
    List<String> twice =
        seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    assertEquals("changes seen more than once", List.of(), twice);
    Set<String> missed = new HashSet<>(written);
    missed.removeAll(seen.keySet());
    assertEquals("changes never seen", Set.of(), missed);
    Set<String> unknown = new HashSet<>(seen.keySet());
    unknown.removeAll(written);
    assertEquals("changes seen but never written", Set.of(), unknown);
    assertEquals(n, log.head());
    assertEquals(0L, unstamped());
  }

  /** Per job, the versions appear in the log in increasing order, each once: 1, 2, 3, ... */
  private static void assertVersionsInOrderPerJob(Reading r, Map<String, Long> finalVersions) {
    Map<String, List<Long>> perJob = new LinkedHashMap<>();
    for (JobChange c : r.changes) {
      perJob.computeIfAbsent(c.jobId(), k -> new ArrayList<>()).add(c.version());
    }
    assertEquals(finalVersions.keySet(), perJob.keySet());
    for (Map.Entry<String, List<Long>> e : perJob.entrySet()) {
      assertEquals(
          "versions of job " + e.getKey() + " in cursor order",
          range(1, finalVersions.get(e.getKey())),
          e.getValue());
    }
  }

  @Test(timeout = 60_000)
  public void aReaderFollowingTheCursorNeverMissesAChangeWhateverTheCommitOrder() throws Exception {
    List<String> jobIds = new ArrayList<>();
    Set<String> written = ConcurrentHashMap.newKeySet();
    for (int w = 0; w < WRITERS; w++) {
      String id = createJob("job of writer " + w).id();
      jobIds.add(id);
      written.add(key(id, 1));
    }
    ChangeSequencer log = sequencer();
    AtomicBoolean writersDone = new AtomicBoolean();
    AtomicInteger total = new AtomicInteger(WRITERS + WRITERS * PER_WRITER);
    runSequencer("sequencer", log);
    Reading reading = follow(log, writersDone, total);

    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        String jobId = jobIds.get(w);
        String actor = "writer-" + w;
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < PER_WRITER; i++) {
                    int n = i;
                    String k =
                        db.inTransaction(
                            em -> {
                              WorkOrderEntity job = em.find(WorkOrderEntity.class, jobId);
                              String old = job.title;
                              job.title = actor + " #" + n;
                              Instant now = Instant.now();
                              job.stampUpdated(actor, now);
                              JobRecorder.record(
                                  em,
                                  job,
                                  actor,
                                  now,
                                  "updated",
                                  List.of(new FieldChange("title", old, job.title)),
                                  List.of());
                              try {
                                // hold the transaction open: commit order now differs from
                                // insertion order
                                Thread.sleep(ThreadLocalRandom.current().nextInt(16));
                              } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                              }
                              return key(jobId, job.getVersion());
                            });
                    written.add(k);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : results) {
        f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      writersDone.set(true);
    }

    assertEquals(WRITERS + WRITERS * PER_WRITER, written.size());
    assertSawEverythingOnce(reading, written, log);
    Map<String, Long> finalVersions = new HashMap<>();
    jobIds.forEach(id -> finalVersions.put(id, (long) PER_WRITER + 1));
    assertVersionsInOrderPerJob(reading, finalVersions);
  }

  @Test(timeout = 60_000)
  public void serviceWritesOnSeveralThreadsAppearPerJobInVersionOrder() throws Exception {
    int threads = 6;
    int opsPerThread = 40;
    TechnicianServiceImpl technicians = new TechnicianServiceImpl(db, Clock.systemUTC());
    List<String> jobIds = new ArrayList<>();
    List<List<String>> techs = new ArrayList<>();
    Set<String> written = ConcurrentHashMap.newKeySet();
    for (int w = 0; w < threads; w++) {
      String id = createJob("job " + w).id();
      jobIds.add(id);
      written.add(key(id, 1));
      techs.add(
          List.of(
              technicians
                  .create(
                      new TechnicianDraft("Tech " + w + "a", null, List.of("hvac"), null),
                      DISPATCHER)
                  .id(),
              technicians
                  .create(
                      new TechnicianDraft("Tech " + w + "b", null, List.of("hvac"), null),
                      DISPATCHER)
                  .id()));
    }
    ChangeSequencer log = sequencer();
    AtomicBoolean writersDone = new AtomicBoolean();
    AtomicInteger total = new AtomicInteger(threads + threads * opsPerThread);
    runSequencer("sequencer", log);
    Reading reading = follow(log, writersDone, total);

    Map<String, Long> finalVersions = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        String jobId = jobIds.get(w);
        List<String> mine = techs.get(w);
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  long version = 1;
                  for (int i = 0; i < opsPerThread; i++) {
                    WorkOrder after;
                    if (i % 2 == 0) {
                      Instant start = t0.plus(Duration.ofHours(1 + i));
                      Assignment a =
                          i % 4 == 2
                              ? Assignment.none()
                              : new Assignment(
                                  List.of(mine.get((i / 4) % 2)),
                                  start,
                                  start.plus(Duration.ofHours(1)));
                      after = jobs.assign(jobId, version, a, DISPATCHER).job();
                    } else {
                      after =
                          jobs.update(jobId, version, Map.of("title", "title " + i), DISPATCHER);
                    }
                    assertEquals(version + 1, after.version());
                    version = after.version();
                    written.add(key(jobId, version));
                  }
                  finalVersions.put(jobId, version);
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : results) {
        f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      writersDone.set(true);
    }

    assertEquals(threads + threads * opsPerThread, written.size());
    assertSawEverythingOnce(reading, written, log);
    assertVersionsInOrderPerJob(reading, finalVersions);
  }

  @Test(timeout = 60_000)
  public void twoStampersRacingNeverHandOutACursorTwiceNorLetTheReaderSkip() throws Exception {
    // the worst case behind the lease: a node whose lease lapsed mid-round still stamps while the
    // new
    // holder does; the CURSOR_NO guard and unique constraint must keep the log gapless and unique
    int writers = 4;
    int perWriter = 60;
    List<String> jobIds = new ArrayList<>();
    Set<String> written = ConcurrentHashMap.newKeySet();
    for (int w = 0; w < writers; w++) {
      String id = createJob("job " + w).id();
      jobIds.add(id);
      written.add(key(id, 1));
    }
    // two stampers can deadlock each other on Derby; have Derby break the cycle in a second, not 20
    db.inTransaction(
        em ->
            em.createNativeQuery(
                    "CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('derby.locks.deadlockTimeout', '1')")
                .executeUpdate());
    // the losing stamper's rollbacks are expected here; keep EclipseLink from logging each one
    java.util.logging.Logger eclipseLink =
        java.util.logging.Logger.getLogger("org.eclipse.persistence");
    java.util.logging.Level level = eclipseLink.getLevel();
    eclipseLink.setLevel(java.util.logging.Level.OFF);
    try {
      racingStampers(jobIds, written, writers, perWriter);
    } finally {
      eclipseLink.setLevel(level);
    }
  }

  private void racingStampers(List<String> jobIds, Set<String> written, int writers, int perWriter)
      throws Exception {
    ChangeSequencer node1 = sequencer();
    ChangeSequencer node2 = sequencer();
    for (ChangeSequencer node : List.of(node1, node2)) {
      start(
          "stamper",
          () -> {
            while (!stop.get()) {
              try {
                node.stamp(); // no lease: both stamp at once
              } catch (RuntimeException lostTheRace) {
                // rolled back; the rows are stamped by the other node or in the next round
              }
            }
          });
    }
    AtomicBoolean writersDone = new AtomicBoolean();
    AtomicInteger total = new AtomicInteger(writers + writers * perWriter);
    // a reader caught in the stampers' deadlock may be Derby's victim: like any client, it reads
    // again
    Reading reading = follow(node1, writersDone, total, true);

    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String jobId = jobIds.get(w);
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perWriter; i++) {
                    int n = i;
                    written.add(
                        db.inTransaction(
                            em -> {
                              WorkOrderEntity job = em.find(WorkOrderEntity.class, jobId);
                              String old = job.title;
                              job.title = "t" + n;
                              job.stampUpdated("w", Instant.now());
                              JobRecorder.record(
                                  em,
                                  job,
                                  "w",
                                  Instant.now(),
                                  "updated",
                                  List.of(new FieldChange("title", old, job.title)),
                                  List.of());
                              try {
                                Thread.sleep(ThreadLocalRandom.current().nextInt(6));
                              } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                              }
                              return key(jobId, job.getVersion());
                            }));
                  }
                  return null;
                }));
      }
      for (Future<?> f : results) {
        f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      writersDone.set(true);
    }
    assertSawEverythingOnce(reading, written, node1);
    Map<String, Long> finalVersions = new HashMap<>();
    jobIds.forEach(id -> finalVersions.put(id, (long) perWriter + 1));
    assertVersionsInOrderPerJob(reading, finalVersions);
  }
}
