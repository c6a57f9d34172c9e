package org.fieldops.jobs.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.AssignmentResult;
import org.fieldops.api.jobs.AuditEntry;
import org.fieldops.api.jobs.ChecklistIncompleteException;
import org.fieldops.api.jobs.FlatRateTaskRef;
import org.fieldops.api.jobs.JobChecklist;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.JobQuery;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.LineDraft;
import org.fieldops.api.jobs.LineKind;
import org.fieldops.api.jobs.Priority;
import org.fieldops.api.jobs.Warning;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.pricebook.PriceBookService;
import org.fieldops.api.security.Caller;
import org.fieldops.jobs.internal.JobRecorder.FieldChange;
import org.fieldops.store.ConcurrentUpdateException;
import org.fieldops.store.CustomerEntity;
import org.fieldops.store.Database;
import org.fieldops.store.EquipmentEntity;
import org.fieldops.store.JobAuditEntity;
import org.fieldops.store.JobEquipmentEntity;
import org.fieldops.store.JobLineEntity;
import org.fieldops.store.JobTechnicianEntity;
import org.fieldops.store.SiteEntity;
import org.fieldops.store.TechnicianEntity;
import org.fieldops.store.WorkOrderEntity;
import org.fieldops.store.support.ChangeSignals;
import org.fieldops.store.support.Checks;
import org.fieldops.store.support.JsonSupport;
import org.fieldops.store.support.MergePatch;
import org.fieldops.store.support.Paging;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Work orders: creation, office edits, assignment with warnings, the office's status moves, audit.
 * Every change writes its audit rows and a change-log row in the same transaction (JobRecorder).
 */
@Component(service = JobService.class, configurationPid = "org.fieldops.jobs")
@Designate(ocd = WorkOrderServiceImpl.Config.class)
public class WorkOrderServiceImpl implements JobService {
  static final Pattern TYPE = EquipmentServiceImpl.TYPE;
  static final Set<JobStatus> NOT_BUSY =
      Set.of(JobStatus.COMPLETED, JobStatus.INVOICED, JobStatus.CLOSED, JobStatus.CANCELLED);
  static final Set<String> READ_ONLY =
      Set.of(
          "status",
          "assignment",
          "technicianIds",
          "customerId",
          "siteId",
          "equipmentIds",
          "type",
          "flatRateTasks",
          "audit");
  static final int AUDIT_IN_RECORD = 50;
  static final Set<String> LINE_READ_ONLY =
      Set.of(
          "kind",
          "code",
          "rateCode",
          "sku",
          "description",
          "unitPrice",
          "currency",
          "amount",
          "source",
          "createdBy");

  @ObjectClassDefinition(
      name = "FieldOps jobs",
      description = "Work orders and the business calendar")
  public @interface Config {
    @AttributeDefinition(
        description = "Business time zone: dates, 'today' and priming are read in it")
    String timezone() default "UTC";
  }

  private final Database db;
  private final Clock clock;
  private final ZoneId zone;
  private final JobLines lines;
  private final ChecklistRegistry checklistProviders;
  private final JobChecklists checklists = new JobChecklists();
  private final MergePatch mergePatch = new MergePatch(JsonSupport.strictMapper());
  private final ChangeSignals committedSignals = new ChangeSignals();

  @Activate
  public WorkOrderServiceImpl(
      @Reference Database db,
      @Reference PriceBookService prices,
      @Reference ChecklistRegistry checklistProviders,
      Config config) {
    this(db, prices, checklistProviders, Clock.systemUTC(), zone(config.timezone()));
  }

  /**
   * The configured business time zone; an invalid one is logged and UTC used, rather than no API at
   * all.
   */
  static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (java.time.DateTimeException e) {
      org.slf4j.LoggerFactory.getLogger(WorkOrderServiceImpl.class)
          .error(
              "Invalid timezone '{}' in etc/org.fieldops.jobs.cfg; using UTC until it is fixed",
              id);
      return ZoneId.of("UTC");
    }
  }

  WorkOrderServiceImpl(
      Database db,
      PriceBookService prices,
      ChecklistRegistry checklistProviders,
      Clock clock,
      ZoneId zone) {
    this.db = db;
    this.checklistProviders = checklistProviders;
    this.lines = new JobLines(prices);
    this.clock = clock;
    this.zone = zone;
  }

  /**
   * The change sequencer of this node (a {@link Runnable} with {@code
   * fieldops.signal=change-committed}): told after an office edit committed, so that it stamps the
   * change at once rather than at its next poll.
   */
  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY,
      target = "(" + ChangeSignals.KEY + "=" + ChangeSignals.COMMITTED + ")")
  void addCommittedSignal(Runnable signal) {
    committedSignals.add(signal);
  }

  void removeCommittedSignal(Runnable signal) {
    committedSignals.remove(signal);
  }

  /**
   * A writing transaction; after its commit, the signal. Joined to a caller's transaction (an
   * upload, billing), no signal: that caller's commit is still to come, and it signals itself.
   */
  private <T> T write(Function<EntityManager, T> work) {
    boolean own = !db.inTransactionNow();
    T result = db.inTransaction(work);
    if (own) {
      committedSignals.committed();
    }
    return result;
  }

  @Override
  public WorkOrder create(WorkOrderDraft d, Caller caller) {
    if (d == null) {
      throw ValidationException.of("body", "must be a JSON object");
    }
    return write(
        em -> {
          validate(em, d);
          WorkOrderEntity e = new WorkOrderEntity();
          e.customerId = d.customerId();
          e.siteId = d.siteId();
          e.equipmentIds =
              WorkOrders.join(
                  d.equipmentIds() == null
                      ? null
                      : new ArrayList<>(new LinkedHashSet<>(d.equipmentIds())));
          e.title = d.title().strip();
          e.description = d.description();
          e.type = d.type();
          e.priority = (d.priority() == null ? Priority.NORMAL : d.priority()).name();
          e.windowStart = d.windowStart();
          e.windowEnd = d.windowEnd();
          e.estimatedMinutes = d.estimatedMinutes();
          e.status = JobStatus.NEW.name();
          Instant now = clock.instant();
          e.stampCreated(caller.username(), now);
          em.persist(e);
          em.flush(); // the job row before its lines (no JPA relationship orders the inserts)
          for (String unit : WorkOrders.split(e.equipmentIds)) {
            em.persist(new JobEquipmentEntity(e.getId(), unit));
          }
          List<FlatRateTaskRef> tasks = d.flatRateTasks() == null ? List.of() : d.flatRateTasks();
          for (int i = 0; i < tasks.size(); i++) {
            FlatRateTaskRef t = tasks.get(i);
            JobLineEntity line =
                lines.price(
                    em,
                    new LineDraft(
                        LineKind.FLAT_RATE,
                        null,
                        null,
                        t.code(),
                        BigDecimal.valueOf(t.quantity()),
                        null,
                        null,
                        null,
                        null),
                    "flatRateTasks[" + i + "].");
            persistLine(em, e, line, caller, now);
          }
          JobRecorder.record(em, e, caller.username(), now, "created", List.of(), List.of());
          return record(em, e);
        });
  }

  private void validate(EntityManager em, WorkOrderDraft d) {
    Checks checks =
        new Checks()
            .text("customerId", d.customerId(), true, 36)
            .text("siteId", d.siteId(), true, 36)
            .text("title", d.title(), true, Checks.NAME_MAX)
            .text("description", d.description(), false, Checks.TEXT_MAX)
            .text("type", d.type(), true, Checks.NAME_MAX);
    if (!checks.hasErrorOn("type")) {
      checks.check(
          TYPE.matcher(d.type()).matches(),
          "type",
          "must be dotted lower-case words, e.g. hvac.maintenance");
    }
    if (!checks.hasErrorOn("customerId")) {
      checks.check(
          em.find(CustomerEntity.class, d.customerId()) != null, "customerId", "no such customer");
    }
    if (!checks.hasErrorOn("siteId")) {
      SiteEntity site = em.find(SiteEntity.class, d.siteId());
      if (site == null) {
        checks.add("siteId", "no such site");
      } else {
        checks.check(
            site.customerId.equals(d.customerId()), "siteId", "is not a site of this customer");
        List<String> equipment = d.equipmentIds() == null ? List.of() : d.equipmentIds();
        checks.check(equipment.size() <= 50, "equipmentIds", "at most 50");
        for (int i = 0; i < equipment.size(); i++) {
          EquipmentEntity unit =
              equipment.get(i) == null ? null : em.find(EquipmentEntity.class, equipment.get(i));
          checks.check(
              unit != null && unit.siteId.equals(site.getId()),
              "equipmentIds[" + i + "]",
              "no such equipment at this site");
        }
      }
    }
    checkWindow(checks, d.windowStart(), d.windowEnd());
    checkMinutes(checks, d.estimatedMinutes());
    List<FlatRateTaskRef> tasks = d.flatRateTasks() == null ? List.of() : d.flatRateTasks();
    checks.check(tasks.size() <= 100, "flatRateTasks", "at most 100");
    for (int i = 0; i < tasks.size(); i++) {
      FlatRateTaskRef t = tasks.get(i);
      checks.check(
          t != null && t.code() != null && lines.isActiveTask(t.code()),
          "flatRateTasks[" + i + "].code",
          "no such active flat-rate task in the price book");
      checks.check(
          t != null && t.quantity() != null && t.quantity() >= 1 && t.quantity() <= 1000,
          "flatRateTasks[" + i + "].quantity",
          "must be 1 to 1000");
    }
    checks.throwIfAny();
  }

  private static void checkWindow(Checks checks, Instant start, Instant end) {
    checks.check(
        (start == null) == (end == null),
        start == null ? "windowStart" : "windowEnd",
        "windowStart and windowEnd go together");
    if (start != null && end != null) {
      checks.check(start.isBefore(end), "windowEnd", "must be after windowStart");
    }
  }

  private static void checkMinutes(Checks checks, Integer minutes) {
    if (minutes != null) {
      checks.check(
          minutes >= 1 && minutes <= 10_080, "estimatedMinutes", "must be 1 to 10080 (a week)");
    }
  }

  @Override
  public WorkOrder get(String id) {
    return db.read(em -> record(em, find(em, id)));
  }

  @Override
  public Page<WorkOrder> list(JobQuery q, PageRequest page) {
    return db.read(
        em -> {
          Paging<WorkOrderEntity> p = Paging.of(em, WorkOrderEntity.class, "id");
          if (q.status() != null) {
            p.where("e.status = :status", "status", q.status().name());
          }
          if (q.siteId() != null) {
            p.where("e.siteId = :siteId", "siteId", q.siteId());
          }
          if (q.technicianId() != null) {
            p.where(
                "e.id IN (SELECT t.jobId FROM JobTechnicianEntity t WHERE t.technicianId = :tech)",
                "tech",
                q.technicianId());
          }
          if (q.date() != null) {
            Instant from = q.date().atStartOfDay(zone).toInstant();
            Instant to = q.date().plusDays(1).atStartOfDay(zone).toInstant();
            p.where(
                "(e.slotStart < :dayEnd AND e.slotEnd > :dayStart) OR (e.slotStart IS NULL AND "
                    + "e.windowStart < :dayEnd AND e.windowEnd > :dayStart)",
                "dayStart",
                from,
                "dayEnd",
                to);
          }
          Page<WorkOrderEntity> rows = p.page(page, WorkOrderEntity::getId, e -> e);
          return new Page<>(records(em, rows.items()), rows.nextCursor());
        });
  }

  /** Whole records (no audit) of several jobs, a few queries in all. */
  private List<WorkOrder> records(EntityManager em, List<WorkOrderEntity> rows) {
    List<String> ids = rows.stream().map(WorkOrderEntity::getId).toList();
    Map<String, List<JobLine>> byJob = JobLines.byJob(em, ids);
    Map<String, List<org.fieldops.api.jobs.JobChecklist>> lists = checklists.ofAll(em, ids);
    Map<String, List<org.fieldops.api.jobs.JobMedia>> media = WorkOrders.media(em, ids);
    return rows.stream()
        .map(
            e ->
                WorkOrders.toRecord(
                    e,
                    lists.getOrDefault(e.getId(), List.of()),
                    byJob.getOrDefault(e.getId(), List.of()),
                    media.getOrDefault(e.getId(), List.of()),
                    List.of()))
        .toList();
  }

  @Override
  public List<WorkOrder> getAll(java.util.Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return db.read(
        em -> {
          List<String> wanted = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
          Map<String, WorkOrderEntity> found = new HashMap<>();
          for (int from = 0; from < wanted.size(); from += 500) {
            em.createQuery(
                    "SELECT e FROM WorkOrderEntity e WHERE e.id IN :ids", WorkOrderEntity.class)
                .setParameter("ids", wanted.subList(from, Math.min(wanted.size(), from + 500)))
                .getResultList()
                .forEach(e -> found.put(e.getId(), e));
          }
          return records(
              em, wanted.stream().map(found::get).filter(java.util.Objects::nonNull).toList());
        });
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  @Override
  public long touch(
      String jobId, String action, String field, String oldValue, String newValue, Caller caller) {
    String act =
        action == null ? "changed" : action.length() > 32 ? action.substring(0, 32) : action;
    String what = field == null || field.length() <= 200 ? field : field.substring(0, 200);
    return withVersionRace(
        jobId,
        -1,
        () ->
            write(
                em -> {
                  WorkOrderEntity job = find(em, jobId);
                  Instant now = clock.instant();
                  // a forced increment now, once per call (an optimistic one happens once per
                  // transaction, at commit); locking refreshes the job, so it comes before the
                  // stamp
                  em.lock(job, javax.persistence.LockModeType.PESSIMISTIC_FORCE_INCREMENT);
                  job.stampUpdated(caller.username(), now);
                  JobRecorder.record(
                      em,
                      job,
                      caller.username(),
                      now,
                      act,
                      List.of(new FieldChange(what, oldValue, newValue)),
                      WorkOrders.split(job.technicianIds));
                  return job.getVersion();
                }));
  }

  @Override
  public WorkOrder update(
      String id, long expectedVersion, Map<String, Object> patch, Caller caller) {
    return withVersionRace(
        id,
        expectedVersion,
        () ->
            write(
                em -> {
                  WorkOrderEntity e = find(em, id);
                  checkVersion(e, expectedVersion);
                  WorkOrderEdit current =
                      new WorkOrderEdit(
                          e.title,
                          e.description,
                          org.fieldops.api.jobs.Priority.valueOf(e.priority),
                          e.windowStart,
                          e.windowEnd,
                          e.estimatedMinutes);
                  WorkOrderEdit edit =
                      mergePatch.apply(current, patch, WorkOrderEdit.class, READ_ONLY);
                  if (edit.equals(current)) {
                    return record(em, e);
                  }
                  if (WorkOrders.status(e).isFinal()) {
                    throw new StateConflictException(
                        "job " + id + " is " + e.status + " and cannot change");
                  }
                  Checks checks =
                      new Checks()
                          .text("title", edit.title(), true, Checks.NAME_MAX)
                          .text("description", edit.description(), false, Checks.TEXT_MAX)
                          .check(edit.priority() != null, "priority", "is required");
                  checkWindow(checks, edit.windowStart(), edit.windowEnd());
                  checkMinutes(checks, edit.estimatedMinutes());
                  if (e.slotStart != null
                      && edit.windowStart() != null
                      && edit.windowEnd() != null) {
                    checks.check(
                        !e.slotStart.isBefore(edit.windowStart())
                            && !e.slotEnd.isAfter(edit.windowEnd()),
                        "windowStart",
                        "the assigned slot must stay within the window; re-assign first");
                  }
                  checks.throwIfAny();
                  List<FieldChange> changes =
                      List.of(
                          new FieldChange("title", e.title, edit.title().strip()),
                          new FieldChange("description", e.description, edit.description()),
                          new FieldChange("priority", e.priority, edit.priority().name()),
                          new FieldChange("windowStart", e.windowStart, edit.windowStart()),
                          new FieldChange("windowEnd", e.windowEnd, edit.windowEnd()),
                          new FieldChange(
                              "estimatedMinutes", e.estimatedMinutes, edit.estimatedMinutes()));
                  e.title = edit.title().strip();
                  e.description = edit.description();
                  e.priority = edit.priority().name();
                  e.windowStart = edit.windowStart();
                  e.windowEnd = edit.windowEnd();
                  e.estimatedMinutes = edit.estimatedMinutes();
                  Instant now = clock.instant();
                  e.stampUpdated(caller.username(), now);
                  JobRecorder.record(
                      em,
                      e,
                      caller.username(),
                      now,
                      "updated",
                      changes,
                      WorkOrders.split(e.technicianIds));
                  return record(em, e);
                }));
  }

  @Override
  public AssignmentResult assign(String id, Long expectedVersion, Assignment a, Caller caller) {
    if (a == null) {
      throw ValidationException.of("body", "must be a JSON object");
    }
    // checklist providers are plugins: ask them before, never inside, the transaction
    List<ChecklistRegistry.Contributed> templates =
        a.hasTechnicians() ? templatesIfFirstDispatch(id) : null;
    return withVersionRace(
        id,
        expectedVersion == null ? -1 : expectedVersion,
        () ->
            write(
                em -> {
                  WorkOrderEntity e = find(em, id);
                  if (expectedVersion != null) {
                    checkVersion(e, expectedVersion);
                  }
                  JobStatus from = WorkOrders.status(e);
                  if (!StatusMachine.ASSIGNABLE.contains(from)) {
                    throw new StateConflictException(
                        "a job in status "
                            + from
                            + " cannot be assigned; assignable in "
                            + StatusMachine.ASSIGNABLE,
                        List.of());
                  }
                  List<TechnicianEntity> techs = validateAssignment(em, e, a);
                  JobStatus to = from;
                  if (a.hasTechnicians()
                      && (from == JobStatus.NEW || from == JobStatus.SCHEDULED)) {
                    to = JobStatus.DISPATCHED;
                  } else if (!a.hasTechnicians() && from == JobStatus.DISPATCHED) {
                    to = JobStatus.SCHEDULED;
                  } else if (!a.hasTechnicians()
                      && (from == JobStatus.EN_ROUTE || from == JobStatus.PAUSED)) {
                    throw new StateConflictException(
                        "a job in progress ("
                            + from
                            + ") cannot be left unassigned; "
                            + "re-assign it, or put it on hold first",
                        List.of(JobStatus.ON_HOLD.name()));
                  }
                  if (to != from) {
                    StatusMachine.check(from, to, StatusMachine.Actor.ASSIGNMENT);
                  }
                  List<Warning> warnings = warnings(em, e, a, techs);
                  List<String> before = WorkOrders.split(e.technicianIds);
                  List<FieldChange> changes =
                      new ArrayList<>(
                          List.of(
                              new FieldChange("technicianIds", before, a.technicianIds()),
                              new FieldChange(
                                  "slotStart", e.slotStart, a.hasTechnicians() ? a.start() : null),
                              new FieldChange(
                                  "slotEnd", e.slotEnd, a.hasTechnicians() ? a.end() : null),
                              new FieldChange("status", from, to)));
                  if (changes.stream().noneMatch(FieldChange::changed)) {
                    return new AssignmentResult(record(em, e), warnings);
                  }
                  // the bulk delete flushes pending changes: run it before touching the job (one
                  // version per change)
                  em.createQuery("DELETE FROM JobTechnicianEntity t WHERE t.jobId = :job")
                      .setParameter("job", id)
                      .executeUpdate();
                  for (String tech : a.technicianIds()) {
                    em.persist(new JobTechnicianEntity(id, tech, a.start()));
                  }
                  if (to == JobStatus.DISPATCHED && !e.checklistsFixed) {
                    checklists.fix(em, id, templates == null ? List.of() : templates);
                    e.checklistsFixed = true;
                    changes.add(
                        new FieldChange(
                            "checklists",
                            null,
                            templates == null
                                ? ""
                                : String.join(
                                    ",",
                                    templates.stream()
                                        .map(c -> c.template().id() + "@" + c.template().version())
                                        .toList())));
                  }
                  e.technicianIds = WorkOrders.join(a.technicianIds());
                  e.slotStart = a.hasTechnicians() ? a.start() : null;
                  e.slotEnd = a.hasTechnicians() ? a.end() : null;
                  e.status = to.name();
                  Instant now = clock.instant();
                  e.stampUpdated(caller.username(), now);
                  JobRecorder.record(
                      em,
                      e,
                      caller.username(),
                      now,
                      a.hasTechnicians() ? "assigned" : "unassigned",
                      changes,
                      before);
                  return new AssignmentResult(record(em, e), warnings);
                }));
  }

  /**
   * The templates that would be fixed if this assignment dispatches the job for the first time;
   * else null.
   */
  private List<ChecklistRegistry.Contributed> templatesIfFirstDispatch(String id) {
    org.fieldops.spi.checklist.ChecklistContext context =
        db.read(
            em -> {
              WorkOrderEntity e = em.find(WorkOrderEntity.class, id);
              if (e == null
                  || e.checklistsFixed
                  || !(JobStatus.NEW.name().equals(e.status)
                      || JobStatus.SCHEDULED.name().equals(e.status))) {
                return null;
              }
              List<String> types = new ArrayList<>();
              for (String eq : WorkOrders.split(e.equipmentIds)) {
                EquipmentEntity unit = em.find(EquipmentEntity.class, eq);
                if (unit != null) {
                  types.add(unit.type);
                }
              }
              return new org.fieldops.spi.checklist.ChecklistContext(
                  e.getId(), e.type, types, e.customerId);
            });
    return context == null ? null : checklistProviders.templatesFor(context);
  }

  @Override
  public JobChecklist answerChecklist(
      String jobId, String templateId, String itemId, Object answer, Caller caller) {
    JobChecklists.Fixed fixed =
        db.read(
            em -> {
              find(em, jobId);
              return checklists.fixed(em, jobId, templateId);
            });
    org.fieldops.spi.checklist.ChecklistItem item = fixed.item(itemId);
    Object value = ChecklistAnswers.canonical(item, answer, "answer");
    checklistProviders
        .validate(fixed.provider(), fixed.template(), item, value)
        .ifPresent(
            reason -> {
              throw ValidationException.of("answer", reason);
            });
    return withVersionRace(
        jobId,
        -1,
        () ->
            write(
                em -> {
                  WorkOrderEntity job = find(em, jobId);
                  Instant now = clock.instant();
                  // stored in the API's shape: a photo as {"sha256": ...} (providers validate its
                  // SHA-256 text)
                  Object stored =
                      item.type() == org.fieldops.spi.checklist.ItemType.PHOTO
                          ? Map.of("sha256", value)
                          : value;
                  checklists.answer(em, jobId, templateId, itemId, stored, caller.username(), now);
                  em.lock(job, javax.persistence.LockModeType.PESSIMISTIC_FORCE_INCREMENT);
                  job.stampUpdated(caller.username(), now);
                  JobRecorder.record(
                      em,
                      job,
                      caller.username(),
                      now,
                      "checklist",
                      List.of(
                          new FieldChange("checklists." + templateId + "." + itemId, null, value)),
                      WorkOrders.split(job.technicianIds));
                  return checklists.of(em, jobId).stream()
                      .filter(c -> c.template().id().equals(templateId))
                      .findFirst()
                      .orElseThrow();
                }));
  }

  @Override
  public WorkOrder moveByTechnician(String jobId, JobStatus to, Caller caller) {
    new Checks().check(to != null, "to", "is required").throwIfAny();
    return withVersionRace(
        jobId,
        -1,
        () ->
            write(
                em -> {
                  WorkOrderEntity job = find(em, jobId);
                  List<String> mine =
                      em.createQuery(
                              // a bound parameter: EclipseLink writes the literal TRUE as 1, which
                              // Derby's BOOLEAN refuses
                              "SELECT t.id FROM TechnicianEntity t WHERE t.username = :u AND t.active = :active",
                              String.class)
                          .setParameter("u", caller.username())
                          .setParameter("active", Boolean.TRUE)
                          .getResultList();
                  if (mine.isEmpty()
                      || WorkOrders.split(job.technicianIds).stream().noneMatch(mine::contains)) {
                    throw new NotFoundException(
                        "job", jobId); // not assigned to the caller: same answer as unknown
                  }
                  JobStatus from = WorkOrders.status(job);
                  StatusMachine.check(from, to, StatusMachine.Actor.TECHNICIAN);
                  if (to == JobStatus.COMPLETED) {
                    List<String> missing = checklists.missing(em, jobId);
                    if (!missing.isEmpty()) {
                      throw new ChecklistIncompleteException(missing);
                    }
                  }
                  job.status = to.name();
                  Instant now = clock.instant();
                  job.stampUpdated(caller.username(), now);
                  JobRecorder.record(
                      em,
                      job,
                      caller.username(),
                      now,
                      "status",
                      List.of(new FieldChange("status", from, to)),
                      WorkOrders.split(job.technicianIds));
                  return record(em, job);
                }));
  }

  private List<TechnicianEntity> validateAssignment(
      EntityManager em, WorkOrderEntity job, Assignment a) {
    Checks checks = new Checks();
    List<TechnicianEntity> techs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    checks.check(a.technicianIds().size() <= 10, "technicianIds", "at most 10 technicians");
    for (int i = 0; i < a.technicianIds().size(); i++) {
      String tid = a.technicianIds().get(i);
      TechnicianEntity t = tid == null ? null : em.find(TechnicianEntity.class, tid);
      if (t == null) {
        checks.add("technicianIds[" + i + "]", "no such technician");
      } else if (!t.active) {
        checks.add("technicianIds[" + i + "]", "technician " + t.name + " is inactive");
      } else if (!seen.add(tid)) {
        checks.add("technicianIds[" + i + "]", "listed twice");
      } else {
        techs.add(t);
      }
    }
    if (a.hasTechnicians()) {
      checks.check(a.start() != null, "start", "is required when technicians are assigned");
      checks.check(a.end() != null, "end", "is required when technicians are assigned");
      if (a.start() != null && a.end() != null) {
        checks.check(a.start().isBefore(a.end()), "end", "must be after start");
        if (job.windowStart != null) {
          checks.check(
              !a.start().isBefore(job.windowStart) && !a.end().isAfter(job.windowEnd),
              "start",
              "the slot must lie within the job's window "
                  + job.windowStart
                  + " to "
                  + job.windowEnd);
        }
      }
    }
    checks.throwIfAny();
    return techs;
  }

  /**
   * Double bookings in the slot, and skills the job's type or equipment call for that a technician
   * lacks.
   */
  private List<Warning> warnings(
      EntityManager em, WorkOrderEntity job, Assignment a, List<TechnicianEntity> techs) {
    List<Warning> warnings = new ArrayList<>();
    if (!a.hasTechnicians()) {
      return warnings;
    }
    List<String> busy = NOT_BUSY.stream().map(Enum::name).toList();
    Set<String> needed = new LinkedHashSet<>();
    needed.add(WorkOrders.segments(job.type).get(0));
    for (String eq : WorkOrders.split(job.equipmentIds)) {
      EquipmentEntity unit = em.find(EquipmentEntity.class, eq);
      if (unit != null) {
        needed.add(WorkOrders.segments(unit.type).get(0));
      }
    }
    for (TechnicianEntity t : techs) {
      List<String> clashes =
          em.createQuery(
                  "SELECT j.id FROM WorkOrderEntity j WHERE j.id <> :job AND j.status NOT IN :done "
                      + "AND j.slotStart < :end AND j.slotEnd > :start AND j.id IN "
                      + "(SELECT x.jobId FROM JobTechnicianEntity x WHERE x.technicianId = :tech)",
                  String.class)
              .setParameter("job", job.getId())
              .setParameter("done", busy)
              .setParameter("start", a.start())
              .setParameter("end", a.end())
              .setParameter("tech", t.getId())
              .getResultList();
      if (!clashes.isEmpty()) {
        warnings.add(
            new Warning(
                "DOUBLE_BOOKED",
                t.name
                    + " is already booked in this slot on job(s) "
                    + String.join(", ", clashes)));
      }
      List<String> skills = WorkOrders.split(t.skills);
      for (String skill : needed) {
        if (!skills.contains(skill)) {
          warnings.add(
              new Warning(
                  "MISSING_SKILL", t.name + " lacks the skill '" + skill + "' this job calls for"));
        }
      }
    }
    return warnings;
  }

  @Override
  public WorkOrder transition(
      String id, Long expectedVersion, JobStatus to, String reason, Caller caller) {
    Checks checks =
        new Checks()
            .check(to != null, "to", "is required")
            .text("reason", reason, false, Checks.TEXT_MAX);
    checks.throwIfAny();
    return withVersionRace(
        id,
        expectedVersion == null ? -1 : expectedVersion,
        () ->
            write(
                em -> {
                  WorkOrderEntity e = find(em, id);
                  if (expectedVersion != null) {
                    checkVersion(e, expectedVersion);
                  }
                  JobStatus from = WorkOrders.status(e);
                  StatusMachine.check(from, to, StatusMachine.Actor.OFFICE);
                  if (from == JobStatus.COMPLETED && approvedInvoice(em, id)) {
                    throw new StateConflictException(
                        "the job's invoice is approved: it can no longer be re-opened", List.of());
                  }
                  if (to == JobStatus.SCHEDULED && from == JobStatus.NEW && e.windowStart == null) {
                    throw new StateConflictException(
                        "a job needs a window (windowStart, windowEnd) to be SCHEDULED",
                        StatusMachine.targets(from, StatusMachine.Actor.OFFICE).stream()
                            .filter(s -> s != JobStatus.SCHEDULED)
                            .map(Enum::name)
                            .toList());
                  }
                  List<String> before = WorkOrders.split(e.technicianIds);
                  e.status = to.name();
                  Instant now = clock.instant();
                  e.stampUpdated(caller.username(), now);
                  List<FieldChange> changes =
                      new ArrayList<>(List.of(new FieldChange("status", from, to)));
                  if (reason != null && !reason.isBlank()) {
                    changes.add(new FieldChange("reason", null, reason));
                  }
                  JobRecorder.record(em, e, caller.username(), now, "status", changes, before);
                  return record(em, e);
                }));
  }

  private static boolean approvedInvoice(EntityManager em, String jobId) {
    return !em.createQuery(
            "SELECT i.id FROM InvoiceEntity i WHERE i.jobId = :job AND i.status IN :done",
            String.class)
        .setParameter("job", jobId)
        .setParameter("done", List.of("APPROVED", "SENT"))
        .setMaxResults(1)
        .getResultList()
        .isEmpty();
  }

  @Override
  public WorkOrder systemTransition(String id, JobStatus to, String reason, Caller caller) {
    return withVersionRace(
        id,
        -1,
        () ->
            write(
                em -> {
                  WorkOrderEntity e = find(em, id);
                  JobStatus from = WorkOrders.status(e);
                  StatusMachine.check(from, to, StatusMachine.Actor.SYSTEM);
                  List<String> before = WorkOrders.split(e.technicianIds);
                  e.status = to.name();
                  Instant now = clock.instant();
                  e.stampUpdated(caller.username(), now);
                  List<FieldChange> changes =
                      new ArrayList<>(List.of(new FieldChange("status", from, to)));
                  if (reason != null && !reason.isBlank()) {
                    changes.add(new FieldChange("reason", null, reason));
                  }
                  JobRecorder.record(em, e, caller.username(), now, "status", changes, before);
                  return record(em, e);
                }));
  }

  @Override
  public Page<AuditEntry> audit(String id, PageRequest page) {
    return db.read(
        em -> {
          find(em, id);
          return Paging.of(em, JobAuditEntity.class, "id")
              .where("e.jobId = :job", "job", id)
              .newestFirst()
              .page(page, a -> a.id, WorkOrders::toAudit);
        });
  }

  /** The whole record: fields, lines, newest audit entries. */
  private WorkOrder record(EntityManager em, WorkOrderEntity e) {
    return WorkOrders.toRecord(
        e,
        checklists.of(em, e.getId()),
        JobLines.byJob(em, List.of(e.getId())).getOrDefault(e.getId(), List.of()),
        WorkOrders.media(em, List.of(e.getId())).getOrDefault(e.getId(), List.of()),
        audit(em, e.getId()));
  }

  private static void persistLine(
      EntityManager em, WorkOrderEntity job, JobLineEntity line, Caller caller, Instant now) {
    line.jobId = job.getId();
    // the office corrects; a technician (through sync) reports from the field
    line.source = caller.has(org.fieldops.api.security.Role.DISPATCHER) ? "OFFICE" : "FIELD";
    line.stampCreated(caller.username(), now);
    em.persist(line);
  }

  @Override
  public JobLine addLine(String jobId, LineDraft draft, Caller caller) {
    if (draft == null) {
      throw ValidationException.of("body", "must be a JSON object");
    }
    return withVersionRace(
        jobId,
        -1,
        () ->
            write(
                em -> {
                  WorkOrderEntity job = find(em, jobId);
                  refuseClosed(job);
                  JobLineEntity line = lines.price(em, draft, "");
                  Instant now = clock.instant();
                  persistLine(em, job, line, caller, now);
                  // no field of the job itself may change (same instant, same caller): bump its
                  // version anyway, now (see touch)
                  em.lock(job, javax.persistence.LockModeType.PESSIMISTIC_FORCE_INCREMENT);
                  job.stampUpdated(caller.username(), now);
                  JobRecorder.record(
                      em,
                      job,
                      caller.username(),
                      now,
                      "line added",
                      List.of(
                          new FieldChange(
                              "lines[" + line.getId() + "]", null, JobLines.describe(line))),
                      WorkOrders.split(job.technicianIds));
                  return JobLines.toRecord(line);
                }));
  }

  @Override
  public JobLine updateLine(
      String jobId, String lineId, long expectedVersion, Map<String, Object> patch, Caller caller) {
    return withVersionRace(
        jobId,
        -1,
        () ->
            write(
                em -> {
                  WorkOrderEntity job = find(em, jobId);
                  JobLineEntity line = lineId == null ? null : em.find(JobLineEntity.class, lineId);
                  if (line == null || !line.jobId.equals(jobId)) {
                    throw new NotFoundException("line", lineId);
                  }
                  if (line.getVersion() != expectedVersion) {
                    throw new VersionMismatchException(expectedVersion, line.getVersion());
                  }
                  LineEdit current =
                      new LineEdit(
                          strip(line.quantity),
                          line.startedAt,
                          line.endedAt,
                          line.text,
                          line.technicianId,
                          line.voided);
                  LineEdit merged =
                      mergePatch.apply(current, patch, LineEdit.class, LINE_READ_ONLY);
                  // 1.5 and 1.50 are the same quantity
                  LineEdit edit =
                      new LineEdit(
                          strip(merged.quantity()),
                          merged.startedAt(),
                          merged.endedAt(),
                          merged.text(),
                          merged.technicianId(),
                          merged.voided());
                  if (edit.equals(current)) {
                    return JobLines.toRecord(line);
                  }
                  refuseClosed(job);
                  String before = JobLines.describe(line);
                  JobLines.correct(
                      em,
                      line,
                      edit,
                      !java.util.Objects.equals(edit.quantity(), current.quantity()));
                  Instant now = clock.instant();
                  line.stampUpdated(caller.username(), now);
                  em.lock(
                      job,
                      javax.persistence.LockModeType.PESSIMISTIC_FORCE_INCREMENT); // as in addLine
                  job.stampUpdated(caller.username(), now);
                  JobRecorder.record(
                      em,
                      job,
                      caller.username(),
                      now,
                      "line corrected",
                      List.of(
                          new FieldChange(
                              "lines[" + line.getId() + "]", before, JobLines.describe(line))),
                      WorkOrders.split(job.technicianIds));
                  return JobLines.toRecord(line);
                }));
  }

  private static BigDecimal strip(BigDecimal n) {
    return n == null ? null : n.stripTrailingZeros();
  }

  private static void refuseClosed(WorkOrderEntity job) {
    if (JobStatus.CLOSED.name().equals(job.status)) {
      throw new StateConflictException(
          "job " + job.getId() + " is CLOSED; its lines can no longer change");
    }
  }

  private static List<AuditEntry> audit(EntityManager em, String jobId) {
    return em
        .createQuery(
            "SELECT a FROM JobAuditEntity a WHERE a.jobId = :job ORDER BY a.id DESC",
            JobAuditEntity.class)
        .setParameter("job", jobId)
        .setMaxResults(AUDIT_IN_RECORD)
        .getResultList()
        .stream()
        .map(WorkOrders::toAudit)
        .toList();
  }

  private static WorkOrderEntity find(EntityManager em, String id) {
    WorkOrderEntity e = id == null ? null : em.find(WorkOrderEntity.class, id);
    if (e == null) {
      throw new NotFoundException("job", id);
    }
    return e;
  }

  private static void checkVersion(WorkOrderEntity e, long expected) {
    if (e.getVersion() != expected) {
      throw new VersionMismatchException(expected, e.getVersion());
    }
  }

  /**
   * Runs a change; if it lost an optimistic-lock race, reports a version mismatch when the caller
   * named a version ({@code expected >= 1}), else tries again (a few times) on the fresh state.
   */
  private <T> T withVersionRace(String id, long expected, java.util.function.Supplier<T> work) {
    if (db.inTransactionNow()) {
      return work.get(); // joined to a caller's transaction: the caller retries the whole unit
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return work.get();
      } catch (ConcurrentUpdateException raced) {
        long current = db.read(em -> find(em, id).getVersion());
        if (expected >= 1 || attempt >= 5) {
          throw new VersionMismatchException(expected, current);
        }
      }
    }
  }

  /** The business day of an instant (for callers that filter by date). */
  LocalDate day(Instant at) {
    return at.atZone(zone).toLocalDate();
  }
}
