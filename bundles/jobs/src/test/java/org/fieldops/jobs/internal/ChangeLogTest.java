package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.CustomerServiceImplTest.DISPATCHER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.JobChange;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.store.ChangeEntity;
import org.fieldops.store.ChangeTechnicianEntity;
import org.fieldops.store.Ids;
import org.fieldops.store.testing.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/** The change log: one row per job change, stamped by the single lease-holding sequencer. */
public class ChangeLogTest {
  static final Instant T0 = Instant.parse("2026-11-25T08:30:00Z");
  static final Duration LEASE = Duration.ofSeconds(10);

  @Rule public final TestDatabase db = new TestDatabase();

  private final MutableClock clock = new MutableClock(T0);
  private final List<ChangeSequencer> sequencers = new ArrayList<>();
  private WorkOrderServiceImpl jobs;
  private String customer;
  private String site;
  private String tina;
  private String tom;

  @Before
  public void setUp() {
    customer =
        new CustomerServiceImpl(db, clock)
            .create(new CustomerDraft("Acme", null, null, null, "USD"), DISPATCHER)
            .id();
    site =
        new SiteServiceImpl(db, clock)
            .create(new SiteDraft(customer, "1 Main St", null, null, null), DISPATCHER)
            .id();
    TechnicianServiceImpl technicians = new TechnicianServiceImpl(db, clock);
    tina =
        technicians
            .create(new TechnicianDraft("Tina", null, List.of("hvac"), null), DISPATCHER)
            .id();
    tom =
        technicians
            .create(new TechnicianDraft("Tom", null, List.of("hvac"), null), DISPATCHER)
            .id();
    jobs =
        new WorkOrderServiceImpl(
            db, new PriceBookServiceImpl(db), new ChecklistRegistry(), clock, ZoneId.of("UTC"));
  }

  @After
  public void tearDown() {
    sequencers.forEach(ChangeSequencer::deactivate);
  }

  private ChangeSequencer sequencer(int batchSize) {
    ChangeSequencer s = new ChangeSequencer(db, clock, batchSize, LEASE);
    sequencers.add(s);
    return s;
  }

  private WorkOrder create(String title) {
    return jobs.create(
        new WorkOrderDraft(
            customer,
            site,
            null,
            title,
            null,
            "hvac.maintenance",
            null,
            Instant.parse("2026-11-26T14:00:00Z"),
            Instant.parse("2026-11-26T22:00:00Z"),
            null,
            null),
        DISPATCHER);
  }

  private static Assignment slot(String... technicianIds) {
    return new Assignment(
        List.of(technicianIds),
        Instant.parse("2026-11-26T15:00:00Z"),
        Instant.parse("2026-11-26T17:00:00Z"));
  }

  private List<ChangeEntity> rows() {
    return db.read(
        em ->
            em.createQuery("SELECT c FROM ChangeEntity c ORDER BY c.id", ChangeEntity.class)
                .getResultList());
  }

  private List<ChangeEntity> rows(String jobId) {
    return db.read(
        em ->
            em.createQuery(
                    "SELECT c FROM ChangeEntity c WHERE c.jobId = :j ORDER BY c.jobVersion",
                    ChangeEntity.class)
                .setParameter("j", jobId)
                .getResultList());
  }

  /**
   * The technician marks of the change that took the job to {@code version}: technician id to
   * removed.
   */
  private Map<String, Boolean> marks(String jobId, long version) {
    return db.read(
        em -> {
          List<ChangeEntity> change =
              em.createQuery(
                      "SELECT c FROM ChangeEntity c WHERE c.jobId = :j AND c.jobVersion = :v",
                      ChangeEntity.class)
                  .setParameter("j", jobId)
                  .setParameter("v", version)
                  .getResultList();
          assertEquals("one change row for version " + version, 1, change.size());
          Map<String, Boolean> out = new TreeMap<>();
          em.createQuery(
                  "SELECT t FROM ChangeTechnicianEntity t WHERE t.changeId = :c",
                  ChangeTechnicianEntity.class)
              .setParameter("c", change.get(0).id)
              .getResultList()
              .forEach(t -> out.put(t.technicianId, t.removed));
          return out;
        });
  }

  private List<Long> versions(String jobId) {
    return rows(jobId).stream().map(c -> c.jobVersion).toList();
  }

  /** Inserts an unstamped change row directly, as a writer on another node would. */
  private String appendRaw(String jobId, long version) {
    return appendRaw(Ids.next(), jobId, version);
  }

  private String appendRaw(String id, String jobId, long version) {
    return db.inTransaction(
        em -> {
          ChangeEntity c = new ChangeEntity();
          c.id = id;
          c.jobId = jobId;
          c.jobVersion = version;
          c.status = "NEW";
          c.at = clock.instant();
          em.persist(c);
          return c.id;
        });
  }

  private static List<Long> cursors(List<JobChange> changes) {
    return changes.stream().map(JobChange::cursor).toList();
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  // --- writing ---

  @Test
  public void everyChangeAppendsExactlyOneRowWithTheNewVersion() {
    WorkOrder j = create("T");
    assertEquals(List.of(1L), versions(j.id()));
    jobs.update(j.id(), 1, Map.of("title", "T2"), DISPATCHER);
    assertEquals(List.of(1L, 2L), versions(j.id()));
    jobs.assign(j.id(), 2L, slot(tina), DISPATCHER);
    assertEquals(List.of(1L, 2L, 3L), versions(j.id()));
    jobs.transition(j.id(), 3L, JobStatus.ON_HOLD, "parts", DISPATCHER);
    assertEquals(List.of(1L, 2L, 3L, 4L), versions(j.id()));
    jobs.assign(j.id(), 4L, Assignment.none(), DISPATCHER);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), versions(j.id()));
    jobs.transition(j.id(), 5L, JobStatus.SCHEDULED, null, DISPATCHER);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), versions(j.id()));
    jobs.transition(j.id(), 6L, JobStatus.CANCELLED, null, DISPATCHER);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), versions(j.id()));
    assertEquals(7L, jobs.get(j.id()).version());

    List<ChangeEntity> rows = rows(j.id());
    assertEquals(
        List.of("NEW", "NEW", "DISPATCHED", "ON_HOLD", "ON_HOLD", "SCHEDULED", "CANCELLED"),
        rows.stream().map(c -> c.status).toList());
    for (ChangeEntity c : rows) {
      assertNull("written without a cursor", c.cursor);
      assertEquals(j.id(), c.jobId);
    }
  }

  @Test
  public void refusedAndNoOpCallsAppendNothing() {
    WorkOrder j = create("T");
    jobs.update(j.id(), 1, Map.of("title", "T"), DISPATCHER); // unchanged
    jobs.assign(j.id(), 1L, Assignment.none(), DISPATCHER); // nothing to un-assign
    assertThrows(
        StateConflictException.class,
        () -> jobs.transition(j.id(), 1L, JobStatus.ON_SITE, null, DISPATCHER));
    assertThrows(
        ValidationException.class,
        () -> jobs.update(j.id(), 1, Map.of("status", "CANCELLED"), DISPATCHER));
    assertThrows(
        ValidationException.class, () -> jobs.assign(j.id(), 1L, slot(Ids.next()), DISPATCHER));
    assertEquals(List.of(1L), versions(j.id()));
    assertEquals(1, rows().size());
  }

  // --- stamping and reading ---

  @Test
  public void stampingGivesConsecutiveCursorsAndReadersSeeThemInOrder() {
    ChangeSequencer log = sequencer(500);
    assertEquals(0L, log.head());
    assertEquals(List.of(), log.after(0, 100));

    WorkOrder a = create("A");
    WorkOrder b = create("B");
    jobs.assign(a.id(), 1L, slot(tina), DISPATCHER);
    jobs.assign(b.id(), 1L, slot(tina, tom), DISPATCHER);
    jobs.update(a.id(), 2, Map.of("title", "A2"), DISPATCHER);
    jobs.transition(b.id(), 2L, JobStatus.CANCELLED, null, DISPATCHER);

    assertEquals("unstamped rows are invisible", List.of(), log.after(0, 100));
    assertEquals(0L, log.head());

    assertEquals(6, log.stamp());
    assertEquals(0, log.stamp());
    assertEquals(6L, log.head());

    List<JobChange> all = log.after(0, 100);
    assertEquals(range(1, 6), cursors(all));
    assertEquals(
        List.of(a.id(), b.id(), a.id(), b.id(), a.id(), b.id()),
        all.stream().map(JobChange::jobId).toList());
    assertEquals(List.of(1L, 1L, 2L, 2L, 3L, 3L), all.stream().map(JobChange::version).toList());
    assertEquals(
        List.of(
            JobStatus.NEW,
            JobStatus.NEW,
            JobStatus.DISPATCHED,
            JobStatus.DISPATCHED,
            JobStatus.DISPATCHED,
            JobStatus.CANCELLED),
        all.stream().map(JobChange::status).toList());
    assertEquals(
        List.of(
            List.of(),
            List.of(),
            List.of(tina),
            List.of(tina, tom),
            List.of(tina),
            List.of(tina, tom)),
        all.stream().map(JobChange::technicianIds).toList());
    assertEquals(T0, all.get(0).at());

    // the rows themselves carry the cursors 1..6 in insertion order
    assertEquals(range(1, 6), rows().stream().map(c -> c.cursor).toList());

    // paging by cursor
    assertEquals(range(1, 2), cursors(log.after(0, 2)));
    assertEquals(range(3, 5), cursors(log.after(2, 3)));
    assertEquals(range(6, 6), cursors(log.after(5, 50)));
    assertEquals(List.of(), log.after(6, 50));

    // later changes continue the sequence
    jobs.update(a.id(), 3, Map.of("title", "A3"), DISPATCHER);
    assertEquals(1, log.stamp());
    assertEquals(7L, log.head());
    JobChange seventh = log.after(6, 50).get(0);
    assertEquals(7L, seventh.cursor());
    assertEquals(a.id(), seventh.jobId());
    assertEquals(4L, seventh.version());
  }

  @Test
  public void stampWorksInBatchesAndARoundDrainsTheBacklog() {
    ChangeSequencer log = sequencer(3);
    WorkOrder j = create("T");
    for (int v = 1; v <= 6; v++) {
      jobs.update(j.id(), v, Map.of("title", "T" + v), DISPATCHER);
    }
    assertEquals(3, log.stamp());
    assertEquals(3L, log.head());
    assertEquals(range(1, 3), cursors(log.after(0, 100)));
    assertEquals(3, log.stamp());
    assertEquals(1, log.stamp());
    assertEquals(0, log.stamp());
    assertEquals(range(1, 7), cursors(log.after(0, 100)));
    assertEquals(
        List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L),
        log.after(0, 100).stream().map(JobChange::version).toList());

    for (int v = 7; v <= 14; v++) {
      jobs.update(j.id(), v, Map.of("title", "T" + v), DISPATCHER);
    }
    log.round(); // takes the lease and stamps all 8, batch after batch
    assertEquals(15L, log.head());
    assertEquals(range(1, 15), cursors(log.after(0, 100)));
  }

  @Test
  public void eachJobsVersionsGetIncreasingCursorsWhateverOrderTheirIdsSort() {
    // ids sort by the writing node's clock; with nodes' clocks apart (or, on Derby, a stamping scan
    // that passed a row's place before it was inserted) a job's version 2 can sort before version 1
    String job = Ids.next();
    String other = Ids.next();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(Ids.next());
    }
    appendRaw(ids.get(3), job, 1);
    appendRaw(ids.get(0), job, 2);
    appendRaw(ids.get(1), other, 1);
    appendRaw(ids.get(4), other, 2);
    appendRaw(ids.get(2), job, 3);

    ChangeSequencer log =
        sequencer(1); // even one row per batch: job@2 comes first, so job@1 comes with it
    log.round();
    List<JobChange> all = log.after(0, 100);
    assertEquals(range(1, 5), cursors(all));
    Map<String, List<Long>> perJob = new TreeMap<>();
    all.forEach(c -> perJob.computeIfAbsent(c.jobId(), k -> new ArrayList<>()).add(c.version()));
    assertEquals(List.of(1L, 2L, 3L), perJob.get(job));
    assertEquals(List.of(1L, 2L), perJob.get(other));
  }

  @Test
  public void technicianMarksShowWhomAChangeConcernsAndWhomTheJobLeft() {
    WorkOrder j = create("T");
    assertEquals(Map.of(), marks(j.id(), 1));

    jobs.assign(j.id(), 1L, slot(tina), DISPATCHER); // v2
    assertEquals(Map.of(tina, false), marks(j.id(), 2));

    jobs.assign(j.id(), 2L, slot(tom), DISPATCHER); // v3: re-assigned away from tina
    assertEquals(Map.of(tina, true, tom, false), marks(j.id(), 3));

    jobs.update(j.id(), 3, Map.of("title", "T2"), DISPATCHER); // v4: concerns tom only
    assertEquals(Map.of(tom, false), marks(j.id(), 4));

    jobs.assign(j.id(), 4L, slot(tom, tina), DISPATCHER); // v5
    assertEquals(Map.of(tina, false, tom, false), marks(j.id(), 5));

    jobs.transition(j.id(), 5L, JobStatus.CANCELLED, "no longer needed", DISPATCHER); // v6
    assertEquals(Map.of(tina, true, tom, true), marks(j.id(), 6));
  }

  @Test
  public void unassigningMarksTheTechniciansRemoved() {
    WorkOrder j = create("T");
    jobs.assign(j.id(), 1L, slot(tina, tom), DISPATCHER); // v2
    jobs.assign(j.id(), 2L, Assignment.none(), DISPATCHER); // v3, back to SCHEDULED
    assertEquals(Map.of(tina, true, tom, true), marks(j.id(), 3));
    ChangeSequencer log = sequencer(100);
    log.stamp();
    JobChange last = log.after(2, 10).get(0);
    assertEquals(JobStatus.SCHEDULED, last.status());
    assertEquals(List.of(), last.technicianIds());
  }

  @Test
  public void cancellingMarksEveryAssignedTechnicianRemoved() {
    WorkOrder j = create("T");
    jobs.assign(j.id(), 1L, slot(tina, tom), DISPATCHER); // v2
    jobs.transition(j.id(), 2L, JobStatus.CANCELLED, null, DISPATCHER); // v3
    assertEquals(Map.of(tina, true, tom, true), marks(j.id(), 3));
  }

  @Test
  public void headIsTheHighestCursor() {
    ChangeSequencer log = sequencer(500);
    assertEquals(0L, log.head());
    WorkOrder j = create("T");
    log.stamp();
    assertEquals(1L, log.head());
    jobs.update(j.id(), 1, Map.of("title", "x"), DISPATCHER);
    jobs.update(j.id(), 2, Map.of("title", "y"), DISPATCHER);
    assertEquals("unstamped rows do not move the head", 1L, log.head());
    log.stamp();
    assertEquals(3L, log.head());
    List<JobChange> all = log.after(0, 100);
    assertEquals(log.head(), all.get(all.size() - 1).cursor());
  }

  // --- two nodes ---

  @Test
  public void onlyTheLeaseHolderStampsAndAnotherNodeTakesOverAfterExpiry() {
    ChangeSequencer node1 = sequencer(500);
    ChangeSequencer node2 = sequencer(500);
    WorkOrder j = create("T");

    node1.round();
    assertEquals(1L, node1.head());

    // node2 cannot stamp while node1's lease is valid
    jobs.update(j.id(), 1, Map.of("title", "2"), DISPATCHER);
    node2.round();
    assertEquals(1L, node2.head());
    assertNull(rows(j.id()).get(1).cursor);
    clock.advance(LEASE.minusSeconds(1));
    node2.round();
    assertEquals("still node1's lease", 1L, node2.head());

    // node1 renews on its next round and keeps the lease
    node1.round();
    assertEquals(2L, node1.head());
    clock.advance(LEASE.minusSeconds(1));
    jobs.update(j.id(), 2, Map.of("title", "3"), DISPATCHER);
    node2.round();
    assertEquals("node1 renewed, so node2 still waits", 2L, node2.head());

    // node1 falls silent; once its lease has expired node2 takes over
    clock.advance(Duration.ofSeconds(2));
    node2.round();
    assertEquals(3L, node2.head());

    // and now node1 is the one that waits
    jobs.update(j.id(), 3, Map.of("title", "4"), DISPATCHER);
    node1.round();
    assertEquals(3L, node1.head());
    assertNull(rows(j.id()).get(3).cursor);
    node2.round();
    assertEquals(4L, node2.head());

    assertEquals(range(1, 4), cursors(node1.after(0, 100)));
    assertEquals(
        List.of(1L, 2L, 3L, 4L), node1.after(0, 100).stream().map(JobChange::version).toList());
    assertNoCursorTwice();
  }

  @Test
  public void aReleasedLeaseIsTakenOverAtOnce() {
    ChangeSequencer node1 = sequencer(500);
    ChangeSequencer node2 = sequencer(500);
    WorkOrder j = create("T");
    node1.round();
    jobs.update(j.id(), 1, Map.of("title", "2"), DISPATCHER);
    node2.round();
    assertEquals(1L, node2.head());
    node1.deactivate(); // an orderly shutdown releases the lease
    node2.round();
    assertEquals(2L, node2.head());
    assertNoCursorTwice();
  }

  @Test
  public void twoNodesTakingTurnsNeverHandOutACursorTwice() {
    ChangeSequencer node1 = sequencer(4);
    ChangeSequencer node2 = sequencer(4);
    WorkOrder j = create("T");
    long version = 1;
    String other = Ids.next(); // rows of a job on "another node", written directly
    Set<String> holders = new HashSet<>();
    for (int turn = 0; turn < 10; turn++) {
      for (int k = 0; k < 3; k++) {
        jobs.update(j.id(), version, Map.of("title", "t" + version), DISPATCHER);
        version++;
        appendRaw(other, turn * 3L + k + 1);
      }
      // the previous holder's lease has lapsed; whichever node comes first this turn takes over
      List<ChangeSequencer> order = turn % 2 == 0 ? List.of(node1, node2) : List.of(node2, node1);
      order.forEach(ChangeSequencer::round);
      holders.add(leaseHolder());
      assertEquals(
          "turn " + turn,
          0L,
          (long)
              db.read(
                  em ->
                      em.createQuery(
                              "SELECT COUNT(c) FROM ChangeEntity c WHERE c.cursor IS NULL",
                              Long.class)
                          .getSingleResult()));
      clock.advance(LEASE.plusSeconds(1));
    }
    assertEquals("the lease changed hands", 2, holders.size());
    int total = rows().size();
    assertEquals(1 + 10 * 3 * 2, total);
    assertEquals(range(1, total), cursors(node2.after(0, 1000)));
    assertNoCursorTwice();
  }

  private String leaseHolder() {
    return db.read(
        em ->
            (String)
                em.createNativeQuery("SELECT HOLDER FROM FO_LEASE WHERE NAME = ?")
                    .setParameter(1, ChangeSequencer.LEASE)
                    .getSingleResult());
  }

  @Test
  public void aCommitSignalStampsAtOnceAndTellsTheStampedListeners() throws Exception {
    ChangeSequencer s = sequencer(500); // no polling in tests: only the signal runs a round
    java.util.concurrent.BlockingQueue<Long> heads =
        new java.util.concurrent.LinkedBlockingQueue<>();
    s.addStampedListener(heads::add);
    create("T");
    s.run();
    assertEquals(Long.valueOf(1), heads.poll(10, java.util.concurrent.TimeUnit.SECONDS));
    create("U");
    create("V");
    s.run();
    s.run(); // signals while a round is pending make one round
    assertEquals(Long.valueOf(3), heads.poll(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(range(1, 3), cursors(s.after(0, 10)));
  }

  @Test
  public void aRowStampedByTheOtherNodeIsNeverStampedAgain() {
    ChangeSequencer node1 = sequencer(500);
    ChangeSequencer node2 = sequencer(500);
    create("T");
    // both stamp directly, bypassing the lease (as a node would whose lease just lapsed)
    assertEquals(1, node1.stamp());
    assertEquals(0, node2.stamp());
    appendRaw(Ids.next(), 1);
    assertEquals(1, node2.stamp());
    assertEquals(0, node1.stamp());
    assertEquals(range(1, 2), cursors(node1.after(0, 10)));
    assertNoCursorTwice();
  }

  @Test
  public void thePauseDoublesWhileThereIsNothingToStampAndDropsAfterWork() {
    assertEquals(10, ChangeSequencer.nextPause(5, false, 5, 50));
    assertEquals(40, ChangeSequencer.nextPause(20, false, 5, 50));
    assertEquals(50, ChangeSequencer.nextPause(40, false, 5, 50));
    assertEquals(50, ChangeSequencer.nextPause(50, false, 5, 50));
    assertEquals(5, ChangeSequencer.nextPause(50, true, 5, 50));
    assertEquals(7, ChangeSequencer.nextPause(3, false, 7, 7)); // idle no longer than busy: fixed
  }

  /**
   * The component as DS activates it polls by itself: changes no signal announced (as another
   * node's are) are stamped, also after a quiet spell that stretched the pause to its longest.
   */
  @Test
  public void theRunningSequencerStampsUnannouncedChangesAlsoAfterAQuietSpell()
      throws InterruptedException {
    ChangeSequencer s = running(5, 50);
    sequencers.add(s);
    create("T1");
    awaitHead(s, 1);
    Thread.sleep(600); // empty rounds: the pause is at its longest
    create("T2");
    create("T3");
    awaitHead(s, 3);
    assertEquals(range(1, 3), cursors(s.after(0, 10)));
  }

  /** An interval below 1 counts as 1: the running sequencer still polls. */
  @Test
  public void aZeroIntervalStillPolls() throws InterruptedException {
    ChangeSequencer s = running(0, 50);
    sequencers.add(s);
    create("T1");
    awaitHead(s, 1);
  }

  /** The sequencer as DS activates it: polling by itself. */
  private ChangeSequencer running(int intervalMillis, int idleIntervalMillis) {
    return new ChangeSequencer(
        db,
        new ChangeSequencer.Config() {
          @Override
          public int intervalMillis() {
            return intervalMillis;
          }

          @Override
          public int idleIntervalMillis() {
            return idleIntervalMillis;
          }

          @Override
          public int batchSize() {
            return 500;
          }

          @Override
          public int leaseSeconds() {
            return 10;
          }

          @Override
          public Class<? extends java.lang.annotation.Annotation> annotationType() {
            return ChangeSequencer.Config.class;
          }
        });
  }

  private static void awaitHead(ChangeSequencer s, long head) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (s.head() < head && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(head, s.head());
  }

  private void assertNoCursorTwice() {
    List<Long> all = rows().stream().map(c -> c.cursor).filter(c -> c != null).toList();
    Set<Long> distinct = new HashSet<>(all);
    assertEquals("a cursor was handed out twice: " + all, all.size(), distinct.size());
    Map<Long, Integer> count = new HashMap<>();
    all.forEach(c -> count.merge(c, 1, Integer::sum));
    assertTrue(count.values().stream().allMatch(n -> n == 1));
  }
}
