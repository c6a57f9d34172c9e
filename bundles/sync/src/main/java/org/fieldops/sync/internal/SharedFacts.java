package org.fieldops.sync.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.security.Caller;
import org.fieldops.api.sync.FieldEvent;
import org.fieldops.api.sync.Outcome;
import org.fieldops.spi.conflict.Decision;
import org.fieldops.spi.conflict.FieldConflict;
import org.fieldops.store.ConcurrentUpdateException;
import org.fieldops.store.Database;
import org.fieldops.store.EquipmentEntity;
import org.fieldops.store.FieldWriteEntity;
import org.fieldops.store.RecordEntity;
import org.fieldops.store.SiteEntity;
import org.fieldops.store.WorkOrderEntity;

/**
 * {@code field} events: shared facts of the job's own site and equipment that technicians may
 * correct from the field ({@code site.accessNotes}, {@code equipment/{id}.serialNumber}, {@code
 * equipment/{id}.model}). A change is a conflict only when the server value moved away from the
 * device's {@code base} through someone else's write (the device's own earlier change does not
 * count); conflicts are decided by the policies before the transaction, and re-checked in it.
 */
final class SharedFacts {
  static final Pattern EQUIPMENT_PATH =
      Pattern.compile("equipment/([A-Za-z0-9_-]{1,36})\\.(serialNumber|model)");

  /** Where a path points. */
  record Target(String path, boolean site, String id, String field, int maxLength) {}

  /** What was seen and decided before the transaction; {@code decided == null}: no conflict. */
  record Prepared(Target target, String seen, ConflictPolicies.Decided decided) {}

  private final Database db;
  private final JobService jobs;
  private final ConflictPolicies policies;
  private final Clock clock;

  SharedFacts(Database db, JobService jobs, ConflictPolicies policies, Clock clock) {
    this.db = db;
    this.jobs = jobs;
    this.policies = policies;
    this.clock = clock;
  }

  Prepared prepare(String deviceId, FieldEvent e, Caller caller) {
    Map<String, Object> data = e.data() == null ? Map.of() : e.data();
    if (!(data.get("path") instanceof String path)) {
      throw new FieldEffects.Refused("INVALID_DATA", false, "data.path is required");
    }
    String base = text(data, "base");
    String value = text(data, "value");
    Target t = db.read(em -> target(em, path, e.jobId()));
    if (value != null && value.length() > t.maxLength()) {
      throw new FieldEffects.Refused(
          "INVALID_DATA", false, path + " is at most " + t.maxLength() + " characters");
    }
    return db.read(
        em -> {
          RecordEntity owner = owner(em, t, LockModeType.NONE);
          String current = valueOf(owner, t);
          if (!intervening(em, t, deviceId, base, current)) {
            return new Prepared(t, current, null);
          }
          FieldConflict conflict =
              new FieldConflict(
                  e.jobId(),
                  path,
                  base,
                  current,
                  owner.getUpdatedBy(),
                  owner.getUpdatedAt(),
                  value,
                  e.occurredAt(),
                  deviceId,
                  caller.username(),
                  t.id(),
                  owner instanceof EquipmentEntity eq ? eq.installedOn : null);
          ConflictPolicies.Decided decided = policies.decide(conflict);
          Decision d = decided.decision();
          if (d.kind() == Decision.Kind.MERGE && d.value().length() > t.maxLength()) {
            // a value the field cannot hold: the policy's answer is unusable, the office decides
            decided =
                new ConflictPolicies.Decided(ConflictPolicies.DEFAULT_NAME, Decision.review());
          }
          return new Prepared(t, current, decided);
        });
  }

  /** Applies inside the event's transaction; the server value must still be the one decided on. */
  FieldEffects.Applied apply(String deviceId, FieldEvent e, Caller caller, Prepared p) {
    String value = text(e.data(), "value");
    return db.read(
        em -> {
          Target t = p.target();
          RecordEntity owner = owner(em, t, LockModeType.PESSIMISTIC_WRITE);
          String current = valueOf(owner, t);
          if (!Objects.equals(current, p.seen())) {
            // someone wrote meanwhile: prepare again on the new value (the ingest retries)
            throw new ConcurrentUpdateException(null);
          }
          if (p.decided() == null) {
            long version = write(em, owner, t, value, deviceId, caller, e.jobId(), "field", null);
            return new FieldEffects.Applied(version, null, Outcome.APPLIED, null, value, null);
          }
          Decision d = p.decided().decision();
          String policy = p.decided().policy() + ":" + d.kind();
          return switch (d.kind()) {
            case KEEP_SERVER ->
                new FieldEffects.Applied(
                    versionOf(em, e.jobId()),
                    "the server keeps its value",
                    Outcome.MERGED,
                    policy,
                    current,
                    null);
            case TAKE_DEVICE, MERGE -> {
              String stored = d.kind() == Decision.Kind.MERGE ? d.value() : value;
              long version =
                  write(
                      em,
                      owner,
                      t,
                      stored,
                      deviceId,
                      caller,
                      e.jobId(),
                      "field " + d.kind(),
                      p.decided().policy());
              yield new FieldEffects.Applied(version, null, Outcome.MERGED, policy, stored, null);
            }
            case REVIEW -> {
              String reviewId =
                  Reviews.open(
                      em,
                      "FIELD",
                      e,
                      deviceId,
                      caller,
                      t.path(),
                      text(e.data(), "base"),
                      current,
                      value,
                      clock.instant());
              yield new FieldEffects.Applied(
                  versionOf(em, e.jobId()),
                  "held for office review: the server value changed since your base",
                  Outcome.REVIEW,
                  policy,
                  null,
                  reviewId);
            }
          };
        });
  }

  /**
   * Stores a value (with a new version of the site or equipment), remembers the device's write, and
   * touches the job so that it is in every concerned technician's next delta.
   */
  long write(
      EntityManager em,
      RecordEntity owner,
      Target t,
      String value,
      String deviceId,
      Caller caller,
      String jobId,
      String action,
      String policy) {
    String old = valueOf(owner, t);
    Instant now = clock.instant();
    if (owner instanceof SiteEntity s) {
      s.accessNotes = value;
    } else if (owner instanceof EquipmentEntity eq) {
      if ("serialNumber".equals(t.field())) {
        eq.serialNumber = value;
      } else {
        eq.model = value;
      }
    }
    owner.stampUpdated(caller.username(), now);
    if (deviceId != null) {
      FieldWriteEntity w = em.find(FieldWriteEntity.class, t.path());
      if (w == null) {
        w = new FieldWriteEntity();
        w.path = t.path();
        em.persist(w);
      }
      w.deviceId = deviceId;
      w.username = caller.username();
      w.value = value;
      w.writtenAt = now;
    }
    em.flush();
    // the audit names the field and, when a policy decided, the policy (any length of name)
    String field = policy == null ? t.path() : t.path() + " by policy " + policy;
    return jobs.touch(jobId, action, field, old, value, caller);
  }

  /** True when the server value moved away from the device's base through someone else's write. */
  private static boolean intervening(
      EntityManager em, Target t, String deviceId, String base, String current) {
    if (Objects.equals(blankToNull(base), blankToNull(current))) {
      return false;
    }
    FieldWriteEntity w = em.find(FieldWriteEntity.class, t.path());
    return !(w != null && deviceId.equals(w.deviceId) && Objects.equals(w.value, current));
  }

  /** Resolves a path against the job's own site and equipment. */
  static Target target(EntityManager em, String path, String jobId) {
    WorkOrderEntity job = em.find(WorkOrderEntity.class, jobId);
    if (job == null) {
      throw new FieldEffects.Refused(
          "NOT_ASSIGNED", false, "job " + jobId + " is not assigned to you");
    }
    if ("site.accessNotes".equals(path)) {
      return new Target(path, true, job.siteId, "accessNotes", 10_000);
    }
    Matcher m = EQUIPMENT_PATH.matcher(path);
    if (m.matches()) {
      if (!FieldEffects.split(job.equipmentIds).contains(m.group(1))) {
        throw new FieldEffects.Refused(
            "OFFICE_OWNED_FIELD",
            false,
            "equipment " + m.group(1) + " is not on this job; only the job's own equipment");
      }
      return new Target(
          "equipment/" + m.group(1) + "." + m.group(2), false, m.group(1), m.group(2), 200);
    }
    throw new FieldEffects.Refused(
        "OFFICE_OWNED_FIELD",
        false,
        "'"
            + path
            + "' is not a field the field may change; allowed: site.accessNotes, "
            + "equipment/{id}.serialNumber, equipment/{id}.model");
  }

  static RecordEntity owner(EntityManager em, Target t, LockModeType lock) {
    RecordEntity owner =
        t.site()
            ? em.find(SiteEntity.class, t.id(), lock)
            : em.find(EquipmentEntity.class, t.id(), lock);
    if (owner == null) {
      throw new FieldEffects.Refused("INVALID_DATA", false, t.path() + " does not exist");
    }
    return owner;
  }

  static String valueOf(RecordEntity owner, Target t) {
    if (owner instanceof SiteEntity s) {
      return s.accessNotes;
    }
    EquipmentEntity eq = (EquipmentEntity) owner;
    return "serialNumber".equals(t.field()) ? eq.serialNumber : eq.model;
  }

  private static long versionOf(EntityManager em, String jobId) {
    return em.find(WorkOrderEntity.class, jobId).getVersion();
  }

  private static String blankToNull(String v) {
    return v == null || v.isEmpty() ? null : v;
  }

  static String text(Map<String, Object> data, String key) {
    Object v = data == null ? null : data.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new FieldEffects.Refused("INVALID_DATA", false, "data." + key + " must be a string");
  }

  static List<String> paths() {
    return List.of("site.accessNotes", "equipment/{id}.serialNumber", "equipment/{id}.model");
  }
}
