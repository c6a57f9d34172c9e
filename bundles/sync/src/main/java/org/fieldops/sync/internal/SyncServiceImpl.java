package org.fieldops.sync.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceException;
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.platform.PluginInfo;
import org.fieldops.api.platform.PluginKind;
import org.fieldops.api.platform.PluginStatus;
import org.fieldops.api.security.Caller;
import org.fieldops.api.sync.EventBatch;
import org.fieldops.api.sync.EventResult;
import org.fieldops.api.sync.FieldEvent;
import org.fieldops.api.sync.Outcome;
import org.fieldops.api.sync.SyncService;
import org.fieldops.spi.conflict.ConflictPolicy;
import org.fieldops.store.ConcurrentUpdateException;
import org.fieldops.store.Database;
import org.fieldops.store.DeviceEntity;
import org.fieldops.store.DeviceEventEntity;
import org.fieldops.store.support.ChangeSignals;
import org.fieldops.store.support.Checks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Exactly-once ingest. Per event, one transaction inserts the {@code (deviceId, opId)} row and
 * applies the effect through the jobs service (which joins the transaction), so both commit or
 * neither does. A refusal rolls the effect back and the REJECTED outcome is written in a second
 * transaction; a concurrent upload of the same event loses on the unique key and answers DUPLICATE
 * with the winner's outcome; an optimistic-lock loss is retried, never returned.
 */
@Component(service = {SyncService.class, PluginStatus.class})
public class SyncServiceImpl implements SyncService, PluginStatus {
  static final int MAX_EVENTS = 500;
  static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
  private static final int ATTEMPTS = 5;
  private static final int MAX_RACES = 200;

  /**
   * Events applied at the same moment on this node, about two per core, taken in turn (fair): more
   * uploads at once only wait on each other's locks and take the CPU from the change sequencer and
   * the board's feed, which then fall behind. An upload waits here before its event's transaction,
   * never while holding a lock.
   */
  static final int APPLYING = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());

  private final java.util.concurrent.Semaphore applying =
      new java.util.concurrent.Semaphore(APPLYING, true);

  private final Database db;
  private final FieldEffects effects;
  private final SyncRecords records;
  private final ConflictPolicies policies;
  private final Clock clock;

  @Activate
  public SyncServiceImpl(
      @Reference Database db,
      @Reference org.fieldops.api.jobs.JobService jobs,
      @Reference org.fieldops.api.media.MediaService media) {
    this(db, jobs, media, new ConflictPolicies(Clock.systemUTC(), ConflictPolicies.TIME_BOUND));
    this.stampWait = STAMP_WAIT;
  }

  /**
   * How long an upload waits, after its commits, for the change log's sequencer to give its changes
   * cursors, so that a delta asked for right after the answer carries them (read your own writes;
   * the sequencer is woken by the commit, so this is normally a few milliseconds). Zero where no
   * sequencer runs (unit tests).
   */
  static final java.time.Duration STAMP_WAIT = java.time.Duration.ofSeconds(2);

  private java.time.Duration stampWait = java.time.Duration.ZERO;

  SyncServiceImpl(
      Database db,
      org.fieldops.api.jobs.JobService jobs,
      org.fieldops.api.media.MediaService media,
      ConflictPolicies policies) {
    this.db = db;
    this.clock = Clock.systemUTC();
    this.policies = policies;
    this.effects =
        new FieldEffects(db, jobs, media, new SharedFacts(db, jobs, policies, clock), clock);
    this.records = new SyncRecords(db, clock);
  }

  /** Told after each commit that wrote a change-log row (the change sequencer of this node). */
  private final ChangeSignals signals = new ChangeSignals();

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY,
      target = "(" + ChangeSignals.KEY + "=" + ChangeSignals.COMMITTED + ")")
  void addCommittedSignal(Runnable signal) {
    signals.add(signal);
  }

  void removeCommittedSignal(Runnable signal) {
    signals.remove(signal);
  }

  /** Conflict policies come and go at runtime (plugin bundles in deploy/). */
  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addPolicy(ConflictPolicy policy, Map<String, Object> props) {
    policies.add(policy, props);
  }

  void removePolicy(ConflictPolicy policy) {
    policies.remove(policy);
  }

  @Deactivate
  void deactivate() {
    policies.close();
  }

  @Override
  public List<EventResult> ingest(EventBatch batch, Caller caller) {
    validate(batch);
    claimDevice(batch.deviceId(), caller);
    List<FieldEvent> inSeqOrder = new ArrayList<>(batch.events());
    inSeqOrder.sort(Comparator.comparingLong(FieldEvent::seq));
    java.util.Map<FieldEvent, EventResult> results = new java.util.IdentityHashMap<>();
    FieldEffects.Batch perBatch = new FieldEffects.Batch(caller);
    for (FieldEvent e : inSeqOrder) {
      applying.acquireUninterruptibly();
      try {
        results.put(e, once(batch.deviceId(), e, perBatch));
      } finally {
        applying.release();
      }
    }
    long lastSeq = inSeqOrder.isEmpty() ? -1 : inSeqOrder.get(inSeqOrder.size() - 1).seq();
    db.inTransaction(
        em -> {
          DeviceEntity d = em.find(DeviceEntity.class, batch.deviceId());
          d.lastUpload = clock.instant();
          d.lastSeq = d.lastSeq == null ? lastSeq : Math.max(d.lastSeq, lastSeq);
          em.persist(upload(batch.deviceId(), caller, d.lastUpload, results.values()));
          return null;
        });
    List<EventResult> out = batch.events().stream().map(results::get).toList();
    awaitStamps(batch.events(), out);
    return out;
  }

  /** Waits (bounded) until the job versions this upload produced have change-log cursors. */
  private void awaitStamps(List<FieldEvent> events, List<EventResult> answers) {
    if (stampWait.isZero()) {
      return;
    }
    java.util.Map<String, Long> newest = new java.util.HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      EventResult r = answers.get(i);
      if (r.jobVersion() != null
          && (r.outcome() == Outcome.APPLIED
              || r.outcome() == Outcome.MERGED
              || r.outcome() == Outcome.REVIEW)) {
        newest.merge(events.get(i).jobId(), r.jobVersion(), Math::max);
      }
    }
    long deadline = System.nanoTime() + stampWait.toNanos();
    while (!newest.isEmpty() && System.nanoTime() < deadline) {
      newest
          .entrySet()
          .removeIf(
              e ->
                  !db.read(
                          em ->
                              em.createQuery(
                                      "SELECT c.id FROM ChangeEntity c WHERE c.jobId = :job"
                                          + " AND c.jobVersion >= :v AND c.cursor IS NOT NULL",
                                      String.class)
                                  .setParameter("job", e.getKey())
                                  .setParameter("v", e.getValue())
                                  .setMaxResults(1)
                                  .getResultList())
                      .isEmpty());
      if (!newest.isEmpty()) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The upload as a report fact: its events by outcome (merged ones count as applied). */
  private static org.fieldops.store.UploadEntity upload(
      String deviceId,
      Caller caller,
      java.time.Instant at,
      java.util.Collection<EventResult> results) {
    org.fieldops.store.UploadEntity u = new org.fieldops.store.UploadEntity();
    u.id = org.fieldops.store.Ids.next();
    u.deviceId = deviceId;
    u.username = caller.username();
    u.receivedAt = at;
    u.events = results.size();
    for (EventResult r : results) {
      switch (r.outcome()) {
        case APPLIED, MERGED -> u.applied++;
        case DUPLICATE -> u.duplicates++;
        case REVIEW -> u.inReview++;
        case REJECTED -> u.rejected++;
      }
    }
    return u;
  }

  private static void validate(EventBatch batch) {
    Checks checks = new Checks();
    if (batch == null) {
      checks.add("body", "must be a JSON object with deviceId and events");
      checks.throwIfAny();
    }
    checks.check(
        batch.deviceId() != null && DEVICE.matcher(batch.deviceId()).matches(),
        "deviceId",
        "is required: 1 to 100 letters, digits, '.', '_', ':' or '-'");
    if (batch.events() == null || batch.events().size() > MAX_EVENTS) {
      checks.add("events", "is required (a list, at most " + MAX_EVENTS + ")");
    } else {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int i = 0; i < batch.events().size(); i++) {
        FieldEvent e = batch.events().get(i);
        String at = "events[" + i + "].";
        if (e == null) {
          checks.add("events[" + i + "]", "must be an event object");
          continue;
        }
        checks.check(
            e.opId() != null && !e.opId().isBlank() && e.opId().length() <= 100,
            at + "opId",
            "is required (at most 100 characters)");
        checks.check(e.seq() != null && e.seq() >= 0, at + "seq", "is required (0 or more)");
        checks.check(
            e.jobId() != null && !e.jobId().isBlank() && e.jobId().length() <= 36,
            at + "jobId",
            "is required");
        if (e.opId() != null && !seen.add(e.opId())) {
          checks.add(at + "opId", "appears twice in this batch");
        }
      }
    }
    checks.throwIfAny();
  }

  /** The device belongs to the user who first used it, until the office releases it. */
  private void claimDevice(String deviceId, Caller caller) {
    // a known device (every upload but its first): a read, no write transaction
    String owner =
        db.read(
            em -> {
              DeviceEntity d = em.find(DeviceEntity.class, deviceId);
              return d == null ? null : d.username;
            });
    if (owner != null && owner.equals(caller.username())) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        db.inTransaction(
            em -> {
              DeviceEntity d = em.find(DeviceEntity.class, deviceId);
              if (d == null) {
                d = new DeviceEntity();
                d.deviceId = deviceId;
                d.username = caller.username();
                d.firstSeen = clock.instant();
                em.persist(d);
              } else if (!d.username.equals(caller.username())) {
                throw new AccessDeniedException(
                    "device "
                        + deviceId
                        + " belongs to another technician; "
                        + "the office can release it");
              }
              return null;
            });
        return;
      } catch (RuntimeException raced) {
        if (!(raced instanceof PersistenceException) && !isTransient(raced)) {
          throw raced;
        }
        if (attempt >= ATTEMPTS) {
          throw raced; // another upload registered it at the same moment: the next round sees it
        }
      }
    }
  }

  /** Applies one event once, whatever else runs concurrently. */
  private EventResult once(String deviceId, FieldEvent e, FieldEffects.Batch batch) {
    Caller caller = batch.caller;
    String hash = Payloads.hash(e);
    for (int attempt = 1; ; attempt++) {
      try {
        // a resent event is answered from its stored outcome, without deciding anything again
        // (only a field event decides anything before its transaction; the others' resends are
        // answered by the same look-up inside it)
        EventResult dup =
            !"field".equals(e.type())
                ? null
                : db.read(
                    em -> {
                      DeviceEventEntity prior = find(em, deviceId, e.opId());
                      return prior == null ? null : duplicate(prior, hash);
                    });
        if (dup != null) {
          return dup;
        }
        // decided outside the transaction (conflict policies never run under ingest locks)
        SharedFacts.Prepared prepared = effects.prepare(deviceId, e, batch);
        EventResult done =
            db.inTransaction(
                em -> {
                  DeviceEventEntity prior = find(em, deviceId, e.opId());
                  if (prior != null) {
                    return duplicate(prior, hash);
                  }
                  // claim the opId before the effect: a concurrent upload of the same event
                  // waits on this key and then answers DUPLICATE, instead of racing (and
                  // deadlocking) on the job
                  DeviceEventEntity row =
                      store(
                          em, deviceId, e, hash, caller, Outcome.APPLIED, null, false, null, null);
                  FieldEffects.Applied applied = effects.apply(deviceId, e, batch, prepared);
                  row.outcome = applied.outcome().name();
                  row.jobVersion = applied.jobVersion();
                  row.message = truncate(applied.message());
                  row.policy = applied.policy();
                  row.resultValue = applied.value();
                  row.reviewId = applied.reviewId();
                  return result(row, null);
                });
        if (done.firstOutcome() == null && done.outcome() != Outcome.REJECTED) {
          signals.committed(); // the change log has a new row: stamp it now, not at the next poll
        }
        return done;
      } catch (FieldEffects.Refused refused) {
        return reject(deviceId, e, hash, caller, refused);
      } catch (ConcurrentUpdateException lostRace) {
        backOff(attempt); // someone changed the job meanwhile: try again on the fresh state
      } catch (RuntimeException failed) {
        if (!(failed instanceof PersistenceException) && !isTransient(failed)
            || isDataError(failed)) {
          throw failed; // a bug, not contention: retrying cannot help
        }
        // the same event committed by a concurrent upload (found at the top of the next round),
        // or a deadlock / lock timeout victim
        backOff(attempt);
      }
    }
  }

  /**
   * Waits a little before the next attempt after a lost race: never a rejection for contention.
   * After a long run of losses the upload fails with a retryable error (events already answered are
   * durable and come back as DUPLICATE).
   */
  private static void backOff(int attempt) {
    if (attempt >= MAX_RACES) {
      throw new PersistenceException(
          "the job kept changing while this event was applied; upload again",
          new java.sql.SQLTransientConnectionException("contention"));
    }
    try {
      Thread.sleep(
          java.util.concurrent.ThreadLocalRandom.current()
              .nextInt(1, 2 + Math.min(attempt, 20) * 2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PersistenceException("interrupted");
    }
  }

  private static EventResult result(DeviceEventEntity row, Outcome first) {
    return new EventResult(
        row.opId,
        first == null ? Outcome.valueOf(row.outcome) : Outcome.DUPLICATE,
        row.reason,
        row.retryable,
        row.jobVersion,
        row.message,
        first,
        row.policy,
        row.resultValue,
        row.reviewId);
  }

  private EventResult reject(
      String deviceId, FieldEvent e, String hash, Caller caller, FieldEffects.Refused r) {
    for (int attempt = 1; ; attempt++) {
      try {
        return rejectOnce(deviceId, e, hash, caller, r);
      } catch (RuntimeException failed) {
        if (!(failed instanceof PersistenceException) && !isTransient(failed)) {
          throw failed;
        }
        EventResult dup =
            db.read(
                em -> {
                  DeviceEventEntity prior = find(em, deviceId, e.opId());
                  return prior == null ? null : duplicate(prior, hash);
                });
        if (dup != null) {
          return dup; // a concurrent upload stored it first
        }
        if (attempt >= ATTEMPTS) {
          throw failed;
        }
      }
    }
  }

  private EventResult rejectOnce(
      String deviceId, FieldEvent e, String hash, Caller caller, FieldEffects.Refused r) {
    return db.inTransaction(
        em -> {
          DeviceEventEntity prior = find(em, deviceId, e.opId());
          if (prior != null) {
            return duplicate(prior, hash);
          }
          store(
              em,
              deviceId,
              e,
              hash,
              caller,
              Outcome.REJECTED,
              r.reason(),
              r.retryable(),
              null,
              r.getMessage());
          return new EventResult(
              e.opId(), Outcome.REJECTED, r.reason(), r.retryable(), null, r.getMessage(), null);
        });
  }

  /**
   * A deadlock victim or lock timeout (SQLState class 40 on Derby and PostgreSQL): the transaction
   * was rolled back and may simply run again.
   */
  static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("40")) {
        return true;
      }
    }
    return false;
  }

  /** A value the database refused (SQLState class 22: too long, out of range): never transient. */
  static boolean isDataError(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("22")) {
        return true;
      }
    }
    return false;
  }

  private static String truncate(String message) {
    return message == null ? null : message.length() > 2000 ? message.substring(0, 2000) : message;
  }

  private static EventResult duplicate(DeviceEventEntity prior, String hash) {
    if (!prior.payloadHash.equals(hash)) {
      return new EventResult(
          prior.opId,
          Outcome.REJECTED,
          "OPID_REUSED",
          false,
          null,
          "this opId was used before for a different event; use a new opId",
          null);
    }
    return result(prior, Outcome.valueOf(prior.outcome));
  }

  private static DeviceEventEntity find(EntityManager em, String deviceId, String opId) {
    return em.find(DeviceEventEntity.class, new DeviceEventEntity.Key(deviceId, opId));
  }

  private DeviceEventEntity store(
      EntityManager em,
      String deviceId,
      FieldEvent e,
      String hash,
      Caller caller,
      Outcome outcome,
      String reason,
      boolean retryable,
      Long jobVersion,
      String message) {
    DeviceEventEntity row = new DeviceEventEntity();
    row.deviceId = deviceId;
    row.opId = e.opId();
    row.seq = e.seq();
    row.jobId = e.jobId();
    row.type =
        e.type() == null ? null : e.type().length() > 32 ? e.type().substring(0, 32) : e.type();
    row.payloadHash = hash;
    row.outcome = outcome.name();
    row.reason = reason;
    row.retryable = retryable;
    row.jobVersion = jobVersion;
    row.message = truncate(message);
    row.occurredAt = e.occurredAt();
    row.receivedAt = clock.instant();
    row.username = caller.username();
    em.persist(row);
    em.flush(); // the unique key is checked here, inside the transaction of the effect
    return row;
  }

  @Override
  public void releaseDevice(String deviceId, Caller caller) {
    db.inTransaction(
        em -> {
          DeviceEntity d = deviceId == null ? null : em.find(DeviceEntity.class, deviceId);
          if (d == null) {
            throw new NotFoundException("device", deviceId);
          }
          em.remove(d);
          return null;
        });
  }

  @Override
  public org.fieldops.api.sync.SyncStatus status(String deviceId, Caller caller) {
    return records.status(deviceId, caller);
  }

  @Override
  public org.fieldops.api.Page<org.fieldops.api.sync.Rejection> rejections(
      String technicianId, Boolean acknowledged, org.fieldops.api.PageRequest page) {
    return records.rejections(technicianId, acknowledged, page);
  }

  @Override
  public org.fieldops.api.sync.Rejection acknowledge(String opId, String deviceId, Caller caller) {
    return records.acknowledge(opId, deviceId, caller);
  }

  @Override
  public PluginKind kind() {
    return PluginKind.CONFLICT_POLICY;
  }

  /** The conflict policies in the order they are asked, and their state (GET /plugins). */
  @Override
  public List<PluginInfo> plugins() {
    return policies.plugins();
  }
}
