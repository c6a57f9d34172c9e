package org.fieldops.sync.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import javax.persistence.LockModeType;
import org.fieldops.api.FieldError;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.jobs.ChecklistIncompleteException;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.LineDraft;
import org.fieldops.api.jobs.LineKind;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.security.Caller;
import org.fieldops.api.sync.FieldEvent;
import org.fieldops.store.Database;
import org.fieldops.store.WorkOrderEntity;

/**
 * What each event type does, through the jobs service (inside the ingest transaction), and how a
 * refusal becomes an outcome reason. Facts (checklist answers, labor, parts, flat-rate tasks,
 * notes) are accepted on any job the caller is or was assigned to; status moves need a current
 * assignment.
 */
final class FieldEffects {
  /** The effect happened; the job is now at {@code jobVersion}. */
  record Applied(
      Long jobVersion,
      String message,
      org.fieldops.api.sync.Outcome outcome,
      String policy,
      String value,
      String reviewId) {
    Applied(Long jobVersion, String message) {
      this(jobVersion, message, org.fieldops.api.sync.Outcome.APPLIED, null, null, null);
    }
  }

  /** The event was not applied, for {@code reason}. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final boolean retryable;

    Refused(String reason, boolean retryable, String message) {
      super(message, null, false, false);
      this.reason = reason;
      this.retryable = retryable;
    }

    String reason() {
      return reason;
    }

    boolean retryable() {
      return retryable;
    }
  }

  private final Database db;
  private final JobService jobs;
  private final org.fieldops.api.media.MediaService media;
  private final SharedFacts facts;
  private final java.time.Clock clock;

  FieldEffects(
      Database db,
      JobService jobs,
      org.fieldops.api.media.MediaService media,
      SharedFacts facts,
      java.time.Clock clock) {
    this.db = db;
    this.jobs = jobs;
    this.media = media;
    this.facts = facts;
    this.clock = clock;
  }

  /**
   * The part of an event's work that runs before its transaction: a {@code field} event's conflict
   * is decided here (policies are never called while the ingest holds locks). {@code null} for
   * other types.
   */
  SharedFacts.Prepared prepare(String deviceId, FieldEvent e, Batch batch) {
    if (!"field".equals(e.type())) {
      return null;
    }
    Caller caller = batch.caller;
    String technicianId = technicianOf(batch);
    if (!wasAssigned(e.jobId(), technicianId)) {
      throw new Refused("NOT_ASSIGNED", false, "job " + e.jobId() + " is not assigned to you");
    }
    return facts.prepare(deviceId, e, caller);
  }

  Applied apply(String deviceId, FieldEvent e, Batch batch, SharedFacts.Prepared prepared) {
    Caller caller = batch.caller;
    String type = e.type() == null ? "" : e.type();
    Map<String, Object> data = e.data() == null ? Map.of() : e.data();
    String technicianId = technicianOf(batch);
    if (!"status".equals(type) && !wasAssigned(e.jobId(), technicianId)) {
      throw new Refused("NOT_ASSIGNED", false, "job " + e.jobId() + " is not assigned to you");
    }
    // writers of one job queue on its row before writing anything: the jobs service inserts a line
    // before it updates the job row, and reads the job's lines while holding that row, so two
    // technicians' events on one job would otherwise deadlock (Derby breaks that after 20 s)
    db.read(em -> em.find(WorkOrderEntity.class, e.jobId(), LockModeType.PESSIMISTIC_WRITE));
    try {
      return switch (type) {
        case "status" -> {
          String to = text(data, "to"); // missing: the jobs service names "to" as required
          JobStatus target = to == null ? null : JobStatus.valueOf(to);
          Applied held = lostSinceBase(deviceId, e, technicianId, target, caller);
          if (held != null) {
            yield held;
          }
          WorkOrder job = jobs.moveByTechnician(e.jobId(), target, caller);
          yield new Applied(job.version(), null);
        }
        case "field" -> facts.apply(deviceId, e, caller, prepared);
        case "photo", "signature" -> {
          String sha = text(data, "sha256");
          String extra = text(data, "photo".equals(type) ? "caption" : "signerName");
          if (sha == null || !org.fieldops.api.media.MediaInfo.isSha256(sha)) {
            throw new Refused("INVALID_DATA", false, "sha256 must be 64 lower-case hex digits");
          }
          if (extra != null && extra.length() > 10_000) {
            throw new Refused("INVALID_DATA", false, "caption or signerName is too long");
          }
          if ("signature".equals(type) && (extra == null || extra.isBlank())) {
            throw new Refused("INVALID_DATA", false, "signerName is required");
          }
          requireMedia(sha, caller);
          media.reference(sha, e.jobId(), type, extra, caller.username());
          long version =
              jobs.touch(
                  e.jobId(),
                  type,
                  "media",
                  null,
                  sha + (extra == null || extra.isBlank() ? "" : " (" + extra + ")"),
                  caller);
          yield new Applied(version, null);
        }
        case "checklist" -> {
          // a photo answer ({sha256}) needs the photo on the server first, like a photo event;
          // the answer then keeps the photo (and lets the job's technicians see it)
          Object answer = data.get("answer");
          String photo =
              answer instanceof Map<?, ?> m
                      && m.get("sha256") instanceof String sha
                      && org.fieldops.api.media.MediaInfo.isSha256(sha)
                  ? sha
                  : null;
          if (photo != null) {
            requireMedia(photo, caller);
          }
          String templateId = text(data, "templateId");
          String itemId = text(data, "itemId");
          jobs.answerChecklist(e.jobId(), templateId, itemId, answer, caller);
          if (photo != null) {
            media.reference(
                photo, e.jobId(), "checklist", templateId + "/" + itemId, caller.username());
          }
          yield new Applied(versionOf(e.jobId()), null);
        }
        case "labor" ->
            line(
                e,
                new LineDraft(
                    LineKind.LABOR,
                    text(data, "rateCode"),
                    null,
                    null,
                    null,
                    instant(data, "startedAt"),
                    instant(data, "endedAt"),
                    null,
                    technicianId),
                caller);
        case "part" ->
            line(
                e,
                new LineDraft(
                    LineKind.PART,
                    null,
                    text(data, "sku"),
                    null,
                    number(data, "quantity"),
                    null,
                    null,
                    null,
                    technicianId),
                caller);
        case "flatRate" ->
            line(
                e,
                new LineDraft(
                    LineKind.FLAT_RATE,
                    null,
                    null,
                    text(data, "code"),
                    number(data, "quantity"),
                    null,
                    null,
                    null,
                    technicianId),
                caller);
        case "note" ->
            line(
                e,
                new LineDraft(
                    LineKind.NOTE,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    text(data, "text"),
                    technicianId),
                caller);
        default -> throw new Refused("UNKNOWN_TYPE", false, "unknown event type '" + type + "'");
      };
    } catch (ChecklistIncompleteException incomplete) {
      throw new Refused("CHECKLIST_INCOMPLETE", true, incomplete.getMessage());
    } catch (NotFoundException unknown) {
      String what = unknown.getMessage();
      throw "status".equals(type) || what.startsWith("job ")
          ? new Refused("NOT_ASSIGNED", false, "job " + e.jobId() + " is not assigned to you")
          : new Refused("INVALID_DATA", false, what);
    } catch (StateConflictException illegal) {
      throw new Refused("ILLEGAL_TRANSITION", false, illegal.getMessage());
    } catch (ValidationException invalid) {
      throw new Refused(reasonFor(type, invalid), false, invalid.getMessage());
    } catch (IllegalArgumentException | ClassCastException | DateTimeParseException bad) {
      throw new Refused(
          "INVALID_DATA", false, "the event's data does not fit a '" + type + "' event");
    }
  }

  /**
   * A status move on a job the caller was assigned to at {@code baseVersion} (and workable then)
   * but lost since: cancelled, held or re-assigned by the office. Held for review, not refused; the
   * facts the technician recorded are applied on their own. {@code null} when not the case.
   */
  private Applied lostSinceBase(
      String deviceId, FieldEvent e, String technicianId, JobStatus target, Caller caller) {
    return db.read(
        em -> {
          WorkOrderEntity job = em.find(WorkOrderEntity.class, e.jobId());
          if (job == null || e.baseVersion() == null || target == null) {
            return null;
          }
          boolean assignedNow = split(job.technicianIds).contains(technicianId);
          if (assignedNow && !HELD.contains(job.status)) {
            return null;
          }
          List<org.fieldops.store.ChangeEntity> atBase =
              em.createQuery(
                      "SELECT c FROM ChangeEntity c WHERE c.jobId = :job AND c.jobVersion <= :v "
                          + "ORDER BY c.jobVersion DESC",
                      org.fieldops.store.ChangeEntity.class)
                  .setParameter("job", e.jobId())
                  .setParameter("v", e.baseVersion())
                  .setMaxResults(1)
                  .getResultList();
          if (atBase.isEmpty()
              || !split(atBase.get(0).technicianIds).contains(technicianId)
              || HELD.contains(atBase.get(0).status)) {
            return null; // not lost since the device's base: the ordinary rules answer
          }
          String server =
              job.status
                  + (assignedNow
                      ? ""
                      : job.technicianIds == null || job.technicianIds.isBlank()
                          ? ", unassigned"
                          : ", assigned to " + job.technicianIds);
          String reviewId =
              Reviews.open(
                  em,
                  "STATUS",
                  e,
                  deviceId,
                  caller,
                  "status",
                  "version " + e.baseVersion() + ": " + atBase.get(0).status,
                  server,
                  target.name(),
                  clock.instant());
          return new Applied(
              job.getVersion(),
              "held for office review: the job is now " + server,
              org.fieldops.api.sync.Outcome.REVIEW,
              null,
              null,
              reviewId);
        });
  }

  private static final List<String> HELD = List.of("CANCELLED", "ON_HOLD");

  static List<String> split(String ids) {
    return ids == null || ids.isBlank() ? List.of() : List.of(ids.split(","));
  }

  private Applied line(FieldEvent e, LineDraft draft, Caller caller) {
    JobLine line = jobs.addLine(e.jobId(), draft, caller);
    return new Applied(versionOf(e.jobId()), "line " + line.id());
  }

  /**
   * The job's version after the effect, read in the ingest transaction. Only the version: the whole
   * record would read all the job's lines and audit while holding its row lock (slow, and a
   * deadlock with an office line correction inserted meanwhile).
   */
  private long versionOf(String jobId) {
    return db.read(em -> em.find(WorkOrderEntity.class, jobId).getVersion());
  }

  private static String reasonFor(String type, ValidationException invalid) {
    if ("checklist".equals(type)) {
      return "INVALID_ANSWER";
    }
    for (FieldError f : invalid.errors()) {
      if (List.of("rateCode", "sku", "code").contains(f.field())) {
        return "UNKNOWN_CODE";
      }
    }
    return "INVALID_DATA";
  }

  /**
   * What stays the same for all events of one upload: the caller and its technician, looked up once
   * (on the batch's first event that needs it) instead of once per event.
   */
  static final class Batch {
    final Caller caller;
    private String technicianId;
    private Refused notTechnician;

    Batch(Caller caller) {
      this.caller = caller;
    }
  }

  /** The active technician linked to the caller (once per batch), or refusal. */
  private String technicianOf(Batch batch) {
    if (batch.technicianId == null && batch.notTechnician == null) {
      try {
        batch.technicianId = technicianOf(batch.caller);
      } catch (Refused refused) {
        batch.notTechnician = refused;
      }
    }
    if (batch.notTechnician != null) {
      Refused r = batch.notTechnician;
      throw new Refused(r.reason(), r.retryable(), r.getMessage());
    }
    return batch.technicianId;
  }

  /** The active technician linked to the caller, or refusal. */
  private String technicianOf(Caller caller) {
    List<String> ids =
        db.read(
            em ->
                em.createQuery(
                        "SELECT t.id FROM TechnicianEntity t WHERE t.username = :u AND t.active = :active",
                        String.class)
                    .setParameter("u", caller.username())
                    .setParameter("active", true)
                    .getResultList());
    if (ids.isEmpty()) {
      throw new Refused(
          "NOT_ASSIGNED", false, "user " + caller.username() + " is not an active technician");
    }
    return ids.get(0);
  }

  /**
   * True if the technician is or ever was assigned to the job. Usually one primary-key probe of the
   * current assignment ({@code FO_JOB_TECHNICIAN}); only a technician not assigned now pays the
   * look through the change log's technician rows (which grows with the technician's history). A
   * yes never turns into a no (the change log is append-only), so yeses are remembered.
   */
  boolean wasAssigned(String jobId, String technicianId) {
    String key = jobId + '/' + technicianId;
    if (assigned.containsKey(key)) {
      return true;
    }
    boolean yes =
        db.read(
            em ->
                !em.createQuery(
                            "SELECT t.jobId FROM JobTechnicianEntity t "
                                + "WHERE t.jobId = :job AND t.technicianId = :tech",
                            String.class)
                        .setParameter("job", jobId)
                        .setParameter("tech", technicianId)
                        .setMaxResults(1)
                        .getResultList()
                        .isEmpty()
                    || !em.createQuery(
                            "SELECT c.changeId FROM ChangeTechnicianEntity c, ChangeEntity ch "
                                + "WHERE c.changeId = ch.id AND ch.jobId = :job "
                                + "AND c.technicianId = :tech",
                            String.class)
                        .setParameter("job", jobId)
                        .setParameter("tech", technicianId)
                        .setMaxResults(1)
                        .getResultList()
                        .isEmpty());
    if (yes) {
      if (assigned.size() >= ASSIGNED_CACHE) {
        assigned.clear();
      }
      assigned.put(key, Boolean.TRUE);
    }
    return yes;
  }

  /** Remembered yeses of {@link #wasAssigned}: "jobId/technicianId". */
  private final Map<String, Boolean> assigned = new java.util.concurrent.ConcurrentHashMap<>();

  private static final int ASSIGNED_CACHE = 50_000;

  private static String text(Map<String, Object> data, String key) {
    Object v = data.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(key);
  }

  private static BigDecimal number(Map<String, Object> data, String key) {
    Object v = data.get(key);
    return v == null
        ? null
        : v instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(text(data, key));
  }

  private static Instant instant(Map<String, Object> data, String key) {
    String v = text(data, key);
    return v == null ? null : Instant.parse(v);
  }

  /** The media must be on the server and visible to the caller, else a retryable rejection. */
  private void requireMedia(String sha, Caller caller) {
    try {
      media.open(sha, caller); // only media the caller may see: own uploads, own jobs
    } catch (NotFoundException missing) {
      throw new Refused(
          "MEDIA_MISSING",
          true,
          "media "
              + sha
              + " is not on the server (or not yours): upload it with PUT /media/"
              + sha
              + ", then send the event again under a new opId");
    }
  }
}
