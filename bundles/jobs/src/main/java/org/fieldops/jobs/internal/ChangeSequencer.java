package org.fieldops.jobs.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import javax.persistence.EntityManager;
import org.fieldops.api.jobs.ChangeLog;
import org.fieldops.api.jobs.JobChange;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.store.ChangeEntity;
import org.fieldops.store.Database;
import org.fieldops.store.Leases;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change log and its sequencer. Writers append change rows without a cursor in their own
 * transaction; this component, on the one node that holds the {@code change-sequencer} lease,
 * stamps committed rows with consecutive cursors every few milliseconds, in one transaction per
 * batch. A reader that asks for "after N" sees stamped rows only, and stamped rows always form the
 * prefix 1..head, so no reader ever skips a change, whatever order writers committed in and on
 * however many nodes. Stamping the same row twice is impossible ({@code CURSOR_NO IS NULL} guard)
 * and two would-be sequencers cannot hand out one cursor twice (unique constraint).
 *
 * <p>Besides its poll, a round runs as soon as a writer of this node says it committed change rows
 * (this component is also a {@link Runnable} service with {@code fieldops.signal=change-committed};
 * running it schedules a round and returns), and after each stamping commit the {@link
 * LongConsumer} services with {@code fieldops.signal=change-stamped} (the board's feed) are given
 * the new head. Both are shortcuts inside one node: other nodes' changes are found by the polls.
 */
@Component(
    service = {ChangeLog.class, Runnable.class},
    immediate = true,
    configurationPid = "org.fieldops.changelog",
    property = "fieldops.signal=change-committed")
@Designate(ocd = ChangeSequencer.Config.class)
public class ChangeSequencer implements ChangeLog, Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeSequencer.class);
  static final String LEASE = "change-sequencer";

  @ObjectClassDefinition(
      name = "FieldOps change log",
      description = "Stamping of job changes with cursors")
  public @interface Config {
    @AttributeDefinition(
        description = "Milliseconds between two stamping rounds while there are changes to stamp")
    int intervalMillis() default 5;

    @AttributeDefinition(
        description =
            "Longest pause between two rounds once there is nothing to stamp: the pause doubles"
                + " from intervalMillis up to this after each empty round. Uploads and office"
                + " edits of jobs signal the sequencer and are stamped at once; a change written"
                + " on another node waits at most this long after a quiet spell")
    int idleIntervalMillis() default 50;

    @AttributeDefinition(description = "Most rows stamped per round")
    int batchSize() default 500;

    @AttributeDefinition(
        description = "Seconds a node holds the sequencer lease without renewing it")
    int leaseSeconds() default 10;
  }

  private final Database db;
  private final Leases leases;
  private final int batchSize;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean woken = new AtomicBoolean();
  private final boolean polling;
  private final long busyMillis;
  private final long idleMillis;
  // the poll chain's state, touched on the executor's thread only
  private ScheduledFuture<?> nextPoll;
  private long pauseMillis;
  private final List<LongConsumer> stampedListeners = new CopyOnWriteArrayList<>();
  private final Timing toStamped = new Timing("change -> stamped", LOG);

  @Activate
  public ChangeSequencer(@Reference Database db, Config config) {
    this(
        db,
        Clock.systemUTC(),
        config.batchSize(),
        Duration.ofSeconds(config.leaseSeconds()),
        Math.max(1, config.intervalMillis()), // below 1 counts as 1: always polls
        config.idleIntervalMillis());
    executor.execute(this::poll);
  }

  /**
   * A sequencer that does not poll: it stamps when {@link #round()} or {@link #stamp()} is called,
   * or once per signal ({@link #run()}). For tests.
   */
  public ChangeSequencer(Database db, Clock clock, int batchSize, Duration lease) {
    this(db, clock, batchSize, lease, 0, 0);
  }

  /** With {@code busyMillis} 0, no polling. */
  private ChangeSequencer(
      Database db, Clock clock, int batchSize, Duration lease, long busyMillis, long idleMillis) {
    this.db = db;
    this.polling = busyMillis > 0;
    this.busyMillis = Math.max(1, busyMillis);
    this.idleMillis = Math.max(this.busyMillis, idleMillis);
    this.pauseMillis = this.busyMillis;
    this.leases = new Leases(db, clock, "node-" + UUID.randomUUID(), lease);
    this.batchSize = Math.max(1, batchSize);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fieldops-change-sequencer");
              t.setDaemon(true);
              return t;
            });
  }

  @Deactivate
  void deactivate() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    leases.release(LEASE);
  }

  /**
   * A writer of this node committed change rows: a round as soon as the sequencer's thread is free
   * (several signals meanwhile make one round). Never blocks.
   */
  @Override
  public void run() {
    if (woken.compareAndSet(false, true)) {
      try {
        executor.execute(this::poll);
      } catch (RejectedExecutionException stopped) {
        woken.set(false);
      }
    }
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY,
      target = "(fieldops.signal=change-stamped)")
  void addStampedListener(LongConsumer listener) {
    stampedListeners.add(listener);
  }

  void removeStampedListener(LongConsumer listener) {
    stampedListeners.remove(listener);
  }

  /**
   * A round, then the next one scheduled: soon while there is work (a signal from a writer, or rows
   * stamped), later and later while there is none, so that an idle server does not query the
   * database 200 times a second. Runs on the executor's thread only.
   */
  private void poll() {
    boolean signalled = woken.getAndSet(false);
    boolean stamped = round();
    pauseMillis = nextPause(pauseMillis, signalled || stamped, busyMillis, idleMillis);
    if (nextPoll != null) {
      nextPoll.cancel(false); // a signal's round came first: one chain only
    }
    if (!polling) {
      return;
    }
    try {
      nextPoll = executor.schedule(this::poll, pauseMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      nextPoll = null;
    }
  }

  /** The pause before the next round: the shortest after work, else doubled up to the longest. */
  static long nextPause(long pause, boolean worked, long shortest, long longest) {
    if (worked) {
      return shortest;
    }
    return Math.min(longest, Math.max(shortest, pause * 2));
  }

  /**
   * One round: stamps everything committed if this node holds the lease; true if it stamped
   * anything. Never throws (the executor would stop).
   */
  boolean round() {
    boolean any = false;
    try {
      if (leases.hold(LEASE)) {
        int stamped;
        do {
          stamped = stamp();
          if (stamped > 0) {
            any = true;
            stamped(lastHead);
          }
        } while (stamped >= batchSize); // keep going while there is a backlog
      }
    } catch (RuntimeException e) {
      LOG.warn("Change sequencer round failed; retrying: {}", e.toString());
    }
    return any;
  }

  private void stamped(long head) {
    for (LongConsumer l : stampedListeners) {
      try {
        l.accept(head);
      } catch (RuntimeException e) {
        LOG.debug("Stamped listener failed: {}", e.toString());
      }
    }
  }

  /** The head after the last stamping commit of this node. */
  private volatile long lastHead;

  /**
   * Stamps up to one batch of committed, unstamped rows (a little more when earlier versions of a
   * batch's jobs must come along); returns how many.
   */
  public int stamp() {
    List<Instant> changedAt = new ArrayList<>();
    long[] stampedHead = {-1};
    int n =
        db.inTransaction(
            em -> {
              List<Object[]> batch =
                  em.createQuery(
                          "SELECT c.id, c.jobId, c.jobVersion, c.at FROM ChangeEntity c WHERE c.cursor IS NULL ORDER BY c.id",
                          Object[].class)
                      .setMaxResults(batchSize)
                      .getResultList();
              if (batch.isEmpty()) {
                return 0;
              }
              List<String> ids = inJobVersionOrder(em, batch);
              long next = head(em);
              for (String id : ids) {
                int updated =
                    em.createQuery(
                            "UPDATE ChangeEntity c SET c.cursor = :n WHERE c.id = :id AND c.cursor IS NULL")
                        .setParameter("n", ++next)
                        .setParameter("id", id)
                        .executeUpdate();
                if (updated != 1) {
                  throw new IllegalStateException("change " + id + " was stamped by someone else");
                }
                em.createQuery(
                        "UPDATE ChangeTechnicianEntity t SET t.cursor = :n WHERE t.changeId = :id")
                    .setParameter("n", next)
                    .setParameter("id", id)
                    .executeUpdate();
              }
              stampedHead[0] = next;
              if (toStamped.enabled()) {
                batch.forEach(row -> changedAt.add((Instant) row[3]));
              }
              return ids.size();
            });
    if (n > 0) {
      lastHead = stampedHead[0];
      if (toStamped.enabled()) {
        Instant now = Instant.now();
        changedAt.forEach(at -> toStamped.add(Duration.between(at, now).toNanos()));
      }
    }
    return n;
  }

  /**
   * The batch's ids in stamping order, such that each job's versions get increasing cursors. The
   * batch query alone does not ensure that: on a database that reads without a snapshot (Derby), a
   * scan that waits on an uncommitted row can pass the place where version n of a job is inserted
   * and still find version n + 1 further on. Every earlier version of a job in the batch committed
   * before the batch was read, so a second look finds them all; they join the batch, and each job's
   * rows are put in version order on the places the job's rows take in id order.
   */
  private static List<String> inJobVersionOrder(EntityManager em, List<Object[]> batch) {
    Map<String, Long> newest = new HashMap<>();
    Map<String, Object[]> rows = new HashMap<>();
    for (Object[] row : batch) {
      rows.put((String) row[0], row);
      newest.merge((String) row[1], (Long) row[2], Math::max);
    }
    List<String> jobs = new ArrayList<>(newest.keySet());
    for (int from = 0; from < jobs.size(); from += 500) {
      List<Object[]> earlier =
          em.createQuery(
                  "SELECT c.id, c.jobId, c.jobVersion FROM ChangeEntity c WHERE c.cursor IS NULL AND c.jobId IN :jobs",
                  Object[].class)
              .setParameter("jobs", jobs.subList(from, Math.min(jobs.size(), from + 500)))
              .getResultList();
      for (Object[] row : earlier) {
        if ((Long) row[2] <= newest.get((String) row[1])) {
          rows.putIfAbsent((String) row[0], row);
        }
      }
    }
    List<Object[]> byId = new ArrayList<>(rows.values());
    byId.sort(Comparator.comparing(row -> (String) row[0]));
    Map<String, Deque<Object[]>> byVersion = new HashMap<>();
    byId.stream()
        .sorted(Comparator.comparing(row -> (Long) row[2]))
        .forEach(
            row -> byVersion.computeIfAbsent((String) row[1], j -> new ArrayDeque<>()).add(row));
    List<String> ordered = new ArrayList<>(byId.size());
    for (Object[] slot : byId) {
      ordered.add((String) byVersion.get((String) slot[1]).poll()[0]);
    }
    return ordered;
  }

  @Override
  public List<JobChange> after(long cursor, int limit) {
    return db.read(
        em ->
            em
                .createQuery(
                    "SELECT c FROM ChangeEntity c WHERE c.cursor > :c ORDER BY c.cursor",
                    ChangeEntity.class)
                .setParameter("c", cursor)
                .setMaxResults(Math.max(1, Math.min(limit, 10_000)))
                .getResultList()
                .stream()
                .map(
                    c ->
                        new JobChange(
                            c.cursor,
                            c.jobId,
                            c.jobVersion,
                            JobStatus.valueOf(c.status),
                            WorkOrders.split(c.technicianIds),
                            c.at))
                .toList());
  }

  @Override
  public long head() {
    return db.read(ChangeSequencer::head);
  }

  private static long head(EntityManager em) {
    Long max =
        em.createQuery("SELECT MAX(c.cursor) FROM ChangeEntity c", Long.class).getSingleResult();
    return max == null ? 0 : max;
  }
}
