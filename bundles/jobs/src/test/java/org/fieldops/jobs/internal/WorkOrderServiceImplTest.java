package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.CustomerServiceImplTest.DISPATCHER;
import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.AssignmentResult;
import org.fieldops.api.jobs.AuditEntry;
import org.fieldops.api.jobs.FlatRateTaskRef;
import org.fieldops.api.jobs.JobQuery;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.Priority;
import org.fieldops.api.jobs.Warning;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.EquipmentDraft;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.pricebook.FlatRateTaskDraft;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.UserDraft;
import org.fieldops.store.Ids;
import org.fieldops.store.WorkOrderEntity;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class WorkOrderServiceImplTest {
  static final Instant T0 = Instant.parse("2026-11-25T08:30:00Z");

  /** Thursday 26 November 2026, 08:00 to 16:00 in Chicago (CST, UTC-6). */
  static final Instant WINDOW_START = Instant.parse("2026-11-26T14:00:00Z");

  static final Instant WINDOW_END = Instant.parse("2026-11-26T22:00:00Z");
  static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

  @Rule public final TestDatabase db = new TestDatabase();

  private final MutableClock clock = new MutableClock(T0);
  private PriceBookServiceImpl prices;
  private WorkOrderServiceImpl jobs;

  private String acme;
  private String acmeRoof;
  private String acmeBasement;
  private String rooftopUnit; // hvac.rooftop at acmeRoof
  private String walkIn; // refrigeration.walk-in at acmeRoof
  private String boiler; // boiler at acmeBasement
  private String globex;
  private String globexSite;
  private String tina; // skills hvac
  private String tom; // skills plumbing
  private String ted; // inactive
  private String rita; // skills hvac, refrigeration

  @Before
  public void setUp() {
    UserServiceImpl users = new UserServiceImpl(db, clock, 1_000, Duration.ofSeconds(30));
    for (String name : List.of("tina", "tom")) {
      users.create(
          new UserDraft(name, "correct horse battery", List.of("technician"), null),
          Caller.system());
    }
    CustomerServiceImpl customers = new CustomerServiceImpl(db, clock);
    acme = customers.create(new CustomerDraft("Acme", null, null, null, "USD"), DISPATCHER).id();
    globex =
        customers.create(new CustomerDraft("Globex", null, null, null, "USD"), DISPATCHER).id();
    SiteServiceImpl sites = new SiteServiceImpl(db, clock);
    acmeRoof =
        sites
            .create(
                new SiteDraft(acme, "1 Main St", null, null, "roof hatch code 1234"), DISPATCHER)
            .id();
    acmeBasement =
        sites.create(new SiteDraft(acme, "2 Main St", null, null, null), DISPATCHER).id();
    globexSite = sites.create(new SiteDraft(globex, "9 Elm St", null, null, null), DISPATCHER).id();
    EquipmentServiceImpl equipment = new EquipmentServiceImpl(db, clock);
    rooftopUnit =
        equipment
            .create(
                new EquipmentDraft(acmeRoof, "hvac.rooftop", "Carrier", null, null, null),
                DISPATCHER)
            .id();
    walkIn =
        equipment
            .create(
                new EquipmentDraft(acmeRoof, "refrigeration.walk-in", null, null, null, null),
                DISPATCHER)
            .id();
    boiler =
        equipment
            .create(new EquipmentDraft(acmeBasement, "boiler", null, null, null, null), DISPATCHER)
            .id();
    TechnicianServiceImpl technicians = new TechnicianServiceImpl(db, clock);
    tina =
        technicians
            .create(new TechnicianDraft("Tina", "tina", List.of("hvac"), null), DISPATCHER)
            .id();
    tom =
        technicians
            .create(new TechnicianDraft("Tom", "tom", List.of("plumbing"), null), DISPATCHER)
            .id();
    ted =
        technicians
            .create(new TechnicianDraft("Ted", null, List.of("hvac"), false), DISPATCHER)
            .id();
    rita =
        technicians
            .create(
                new TechnicianDraft("Rita", null, List.of("hvac", "refrigeration"), null),
                DISPATCHER)
            .id();
    prices = new PriceBookServiceImpl(db);
    prices.createFlatRateTask(
        new FlatRateTaskDraft(
            "FILTER-CHANGE", "Filter change", new BigDecimal("45.00"), "USD", null),
        DISPATCHER);
    prices.createFlatRateTask(
        new FlatRateTaskDraft("FILTER", "Filter", new BigDecimal("12.5"), "USD", null), DISPATCHER);
    jobs = new WorkOrderServiceImpl(db, prices, new ChecklistRegistry(), clock, CHICAGO);
  }

  // --- helpers ---

  private static Map<String, Object> patch(Object... keyValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private WorkOrderDraft draft(String title) {
    return new WorkOrderDraft(
        acme,
        acmeRoof,
        List.of(),
        title,
        null,
        "hvac.maintenance",
        null,
        WINDOW_START,
        WINDOW_END,
        null,
        List.of());
  }

  private WorkOrderDraft draft(String title, Instant windowStart, Instant windowEnd) {
    return new WorkOrderDraft(
        acme,
        acmeRoof,
        List.of(),
        title,
        null,
        "hvac.maintenance",
        null,
        windowStart,
        windowEnd,
        null,
        List.of());
  }

  private WorkOrder create(String title) {
    return jobs.create(draft(title), DISPATCHER);
  }

  private static Assignment slot(List<String> technicianIds, String start, String end) {
    return new Assignment(technicianIds, Instant.parse(start), Instant.parse(end));
  }

  private AssignmentResult assign(String jobId, String start, String end, String... technicianIds) {
    return jobs.assign(jobId, null, slot(List.of(technicianIds), start, end), DISPATCHER);
  }

  /**
   * Sets the status behind the service's back (technician and billing moves come in later bundles).
   */
  private void forceStatus(String jobId, JobStatus status) {
    db.inTransaction(
        em -> {
          em.find(WorkOrderEntity.class, jobId).status = status.name();
          return null;
        });
  }

  private static Set<String> codes(List<Warning> warnings) {
    Set<String> out = new TreeSet<>();
    warnings.forEach(w -> out.add(w.code()));
    return out;
  }

  private static Set<String> names(List<String> allowed) {
    return new TreeSet<>(allowed);
  }

  private List<String> ids(JobQuery q) {
    List<String> out = new ArrayList<>();
    jobs.list(q, PageRequest.first(100)).items().forEach(j -> out.add(j.id()));
    return out;
  }

  // --- create ---

  /**
   * After an office edit commits, the sequencer is told (so the board sees the change at once, not
   * at its next poll); not when the edit fails, and not when it runs inside a caller's transaction
   * that has yet to commit.
   */
  @Test
  public void committedOfficeEditsSignalTheSequencer() {
    java.util.concurrent.atomic.AtomicInteger signals =
        new java.util.concurrent.atomic.AtomicInteger();
    Runnable signal = signals::incrementAndGet;
    jobs.addCommittedSignal(signal);
    WorkOrder j = create("T");
    assertEquals(1, signals.get());
    jobs.update(j.id(), 1, patch("title", "New title"), DISPATCHER);
    assertEquals(2, signals.get());
    assertThrows(
        org.fieldops.api.ValidationException.class,
        () -> jobs.create(draft("T", WINDOW_END, WINDOW_START), DISPATCHER));
    assertEquals(2, signals.get());
    db.inTransaction(em -> create("Inside"));
    assertEquals(2, signals.get());
    jobs.removeCommittedSignal(signal);
    create("U");
    assertEquals(2, signals.get());
  }

  @Test
  public void createStoresANewJobAtVersionOne() {
    WorkOrder j =
        jobs.create(
            new WorkOrderDraft(
                acme,
                acmeRoof,
                List.of(rooftopUnit, walkIn),
                "  No cooling  ",
                "Unit 3 blows warm air",
                "hvac.repair",
                Priority.HIGH,
                WINDOW_START,
                WINDOW_END,
                90,
                List.of(new FlatRateTaskRef("FILTER-CHANGE", 2))),
            DISPATCHER);
    assertTrue(Ids.isWellFormed(j.id()));
    assertEquals(JobStatus.NEW, j.status());
    assertEquals(1L, j.version());
    assertEquals("No cooling", j.title());
    assertEquals("Unit 3 blows warm air", j.description());
    assertEquals("hvac.repair", j.type());
    assertEquals(Priority.HIGH, j.priority());
    assertEquals(acme, j.customerId());
    assertEquals(acmeRoof, j.siteId());
    assertEquals(List.of(rooftopUnit, walkIn), j.equipmentIds());
    assertEquals(WINDOW_START, j.windowStart());
    assertEquals(WINDOW_END, j.windowEnd());
    assertEquals(Integer.valueOf(90), j.estimatedMinutes());
    assertEquals(1, j.flatRateTasks().size());
    assertEquals("FILTER-CHANGE", j.flatRateTasks().get(0).code());
    assertEquals(0, new BigDecimal("2").compareTo(j.flatRateTasks().get(0).quantity()));
    assertEquals(new BigDecimal("45.00"), j.flatRateTasks().get(0).unitPrice());
    assertEquals(new BigDecimal("90.00"), j.flatRateTasks().get(0).amount());
    assertFalse(j.assignment().hasTechnicians());
    assertNull(j.assignment().start());
    assertEquals(T0, j.createdAt());
    assertEquals(T0, j.updatedAt());

    assertEquals(1, j.audit().size());
    AuditEntry created = j.audit().get(0);
    assertEquals("created", created.action());
    assertEquals(1L, created.version());
    assertEquals("dora", created.actor());
    assertEquals(T0, created.at());

    assertEquals(j, jobs.get(j.id()));
  }

  @Test
  public void priorityDefaultsToNormalAndTheWindowIsOptional() {
    WorkOrder j =
        jobs.create(
            new WorkOrderDraft(
                acme, acmeRoof, null, "Check", null, "boiler", null, null, null, null, null),
            DISPATCHER);
    assertEquals(Priority.NORMAL, j.priority());
    assertNull(j.windowStart());
    assertNull(j.windowEnd());
    assertEquals(List.of(), j.equipmentIds());
    assertEquals(List.of(), j.flatRateTasks());
  }

  @Test
  public void customerSiteTitleAndTypeAreRequired() {
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    null, null, null, null, null, null, null, null, null, null, null),
                DISPATCHER),
        "customerId",
        "siteId",
        "title",
        "type");
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme, acmeRoof, null, " ", null, "hvac", null, null, null, null, null),
                DISPATCHER),
        "title");
  }

  @Test
  public void unknownCustomerOrSiteIsRefusedByField() {
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    Ids.next(), acmeRoof, null, "T", null, "hvac", null, null, null, null, null),
                DISPATCHER),
        "customerId",
        "siteId");
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme, Ids.next(), null, "T", null, "hvac", null, null, null, null, null),
                DISPATCHER),
        "siteId");
  }

  @Test
  public void theSiteMustBelongToTheCustomer() {
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme, globexSite, null, "T", null, "hvac", null, null, null, null, null),
                DISPATCHER),
        "siteId");
  }

  @Test
  public void equipmentMustBeAtTheSite() {
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme,
                    acmeRoof,
                    List.of(boiler),
                    "T",
                    null,
                    "hvac",
                    null,
                    null,
                    null,
                    null,
                    null),
                DISPATCHER),
        "equipmentIds[0]");
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme,
                    acmeRoof,
                    List.of(rooftopUnit, Ids.next()),
                    "T",
                    null,
                    "hvac",
                    null,
                    null,
                    null,
                    null,
                    null),
                DISPATCHER),
        "equipmentIds[1]");
  }

  @Test
  public void theWindowEndsAfterItStarts() {
    invalid(() -> jobs.create(draft("T", WINDOW_END, WINDOW_START), DISPATCHER), "windowEnd");
    invalid(() -> jobs.create(draft("T", WINDOW_START, WINDOW_START), DISPATCHER), "windowEnd");
    invalidOnOneOf(
        () -> jobs.create(draft("T", WINDOW_START, null), DISPATCHER), "windowStart", "windowEnd");
  }

  private static void invalidOnOneOf(org.junit.function.ThrowingRunnable call, String... fields) {
    org.fieldops.api.ValidationException e =
        assertThrows(org.fieldops.api.ValidationException.class, call);
    Set<String> named = Expect.fields(e);
    assertTrue(
        named + " names one of " + List.of(fields),
        named.stream().anyMatch(List.of(fields)::contains));
  }

  @Test
  public void estimatedMinutesArePositive() {
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme, acmeRoof, null, "T", null, "hvac", null, null, null, 0, null),
                DISPATCHER),
        "estimatedMinutes");
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme, acmeRoof, null, "T", null, "hvac", null, null, null, -5, null),
                DISPATCHER),
        "estimatedMinutes");
  }

  @Test
  public void flatRateTasksNeedACodeAndAPositiveQuantity() {
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme,
                    acmeRoof,
                    null,
                    "T",
                    null,
                    "hvac",
                    null,
                    null,
                    null,
                    null,
                    List.of(new FlatRateTaskRef("FILTER", 0))),
                DISPATCHER),
        "flatRateTasks[0].quantity");
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme,
                    acmeRoof,
                    null,
                    "T",
                    null,
                    "hvac",
                    null,
                    null,
                    null,
                    null,
                    List.of(new FlatRateTaskRef("FILTER", 1), new FlatRateTaskRef("bad code", 1))),
                DISPATCHER),
        "flatRateTasks[1].code");
  }

  @Test
  public void theTypeIsDottedLowerCaseWords() {
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme, acmeRoof, null, "T", null, "HVAC", null, null, null, null, null),
                DISPATCHER),
        "type");
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme,
                    acmeRoof,
                    null,
                    "T",
                    null,
                    "hvac maintenance",
                    null,
                    null,
                    null,
                    null,
                    null),
                DISPATCHER),
        "type");
  }

  @Test
  public void aRefusedCreateLeavesNothingBehind() {
    invalid(
        () ->
            jobs.create(
                new WorkOrderDraft(
                    acme, globexSite, null, "T", null, "hvac", null, null, null, null, null),
                DISPATCHER),
        "siteId");
    assertTrue(jobs.list(JobQuery.all(), PageRequest.first(10)).items().isEmpty());
  }

  @Test
  public void getOfAnUnknownJobIsNotFound() {
    assertThrows(NotFoundException.class, () -> jobs.get(Ids.next()));
  }

  // --- update ---

  @Test
  public void aTitleChangeBumpsTheVersionAndIsAudited() {
    WorkOrder j = create("Old title");
    clock.advance(Duration.ofMinutes(5));
    WorkOrder after = jobs.update(j.id(), 1, patch("title", "New title"), DISPATCHER);
    assertEquals(2L, after.version());
    assertEquals("New title", after.title());
    assertEquals(T0.plus(Duration.ofMinutes(5)), after.updatedAt());
    assertEquals(JobStatus.NEW, after.status());

    AuditEntry newest = after.audit().get(0);
    assertEquals(2L, newest.version());
    assertEquals("updated", newest.action());
    assertEquals("title", newest.field());
    assertEquals("Old title", newest.oldValue());
    assertEquals("New title", newest.newValue());
    assertEquals("dora", newest.actor());
    assertEquals(T0.plus(Duration.ofMinutes(5)), newest.at());
    assertEquals(
        List.of("updated", "created"), after.audit().stream().map(AuditEntry::action).toList());
    assertEquals(after, jobs.get(j.id()));
  }

  @Test
  public void theOfficeEditsWindowPriorityDescriptionAndMinutes() {
    WorkOrder j = create("T");
    Instant start = Instant.parse("2026-11-27T14:00:00Z");
    Instant end = Instant.parse("2026-11-27T18:00:00Z");
    WorkOrder after =
        jobs.update(
            j.id(),
            1,
            patch(
                "priority",
                "EMERGENCY",
                "description",
                "gas smell",
                "windowStart",
                start.toString(),
                "windowEnd",
                end.toString(),
                "estimatedMinutes",
                45),
            DISPATCHER);
    assertEquals(2L, after.version());
    assertEquals(Priority.EMERGENCY, after.priority());
    assertEquals("gas smell", after.description());
    assertEquals(start, after.windowStart());
    assertEquals(end, after.windowEnd());
    assertEquals(Integer.valueOf(45), after.estimatedMinutes());
    // one audit row per changed field, all at version 2
    List<AuditEntry> v2 = after.audit().stream().filter(a -> a.version() == 2).toList();
    assertEquals(
        Set.of("priority", "description", "windowStart", "windowEnd", "estimatedMinutes"),
        Set.copyOf(v2.stream().map(AuditEntry::field).toList()));
  }

  @Test
  public void anUnchangedPatchChangesNothing() {
    WorkOrder j = create("Same");
    WorkOrder after = jobs.update(j.id(), 1, patch("title", "Same"), DISPATCHER);
    assertEquals(1L, after.version());
    assertEquals(1, jobs.audit(j.id(), PageRequest.first(50)).items().size());
  }

  @Test
  public void readOnlyFieldsAreRefusedByName() {
    WorkOrder j = create("T");
    invalid(() -> jobs.update(j.id(), 1, patch("status", "CANCELLED"), DISPATCHER), "status");
    invalid(
        () -> jobs.update(j.id(), 1, patch("technicianIds", List.of(tina)), DISPATCHER),
        "technicianIds");
    invalid(() -> jobs.update(j.id(), 1, patch("customerId", globex), DISPATCHER), "customerId");
    invalid(
        () -> jobs.update(j.id(), 1, patch("id", Ids.next(), "version", 7), DISPATCHER),
        "id",
        "version");
    invalid(() -> jobs.update(j.id(), 1, patch("colour", "red"), DISPATCHER), "colour");
    assertEquals(1L, jobs.get(j.id()).version());
    assertEquals(JobStatus.NEW, jobs.get(j.id()).status());
  }

  @Test
  public void invalidValuesAreRefusedByField() {
    WorkOrder j = create("T");
    invalid(() -> jobs.update(j.id(), 1, patch("title", null), DISPATCHER), "title");
    invalid(() -> jobs.update(j.id(), 1, patch("priority", "URGENT"), DISPATCHER), "priority");
    invalid(
        () ->
            jobs.update(
                j.id(),
                1,
                patch("windowEnd", WINDOW_START.minusSeconds(60).toString()),
                DISPATCHER),
        "windowEnd");
    invalid(
        () -> jobs.update(j.id(), 1, patch("estimatedMinutes", 0), DISPATCHER), "estimatedMinutes");
    assertEquals(1L, jobs.get(j.id()).version());
  }

  @Test
  public void aStaleVersionIsAMismatchCarryingTheCurrentOne() {
    WorkOrder j = create("T");
    jobs.update(j.id(), 1, patch("title", "T2"), DISPATCHER);
    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () -> jobs.update(j.id(), 1, patch("title", "T3"), DISPATCHER));
    assertEquals(2L, e.currentVersion());
    assertEquals("T2", jobs.get(j.id()).title());
    // the version is checked before anything else
    e =
        assertThrows(
            VersionMismatchException.class,
            () -> jobs.update(j.id(), 9, patch("status", "x"), DISPATCHER));
    assertEquals(2L, e.currentVersion());
  }

  @Test
  public void ofRacingEditsAtOneVersionExactlyOneWins() throws Exception {
    WorkOrder j = create("T");
    int racers = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(racers);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<WorkOrder>> results = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        String title = "racer " + i;
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return jobs.update(j.id(), 1, patch("title", title), DISPATCHER);
                }));
      }
      go.countDown();
      List<WorkOrder> won = new ArrayList<>();
      for (java.util.concurrent.Future<WorkOrder> f : results) {
        try {
          won.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
          assertTrue(
              String.valueOf(e.getCause()), e.getCause() instanceof VersionMismatchException);
          assertEquals(2L, ((VersionMismatchException) e.getCause()).currentVersion());
        }
      }
      assertEquals(1, won.size());
      assertEquals(2L, won.get(0).version());
      assertEquals(won.get(0).title(), jobs.get(j.id()).title());
      assertEquals(2, jobs.audit(j.id(), PageRequest.first(50)).items().size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void aCancelledJobRefusesEdits() {
    WorkOrder j = create("T");
    WorkOrder cancelled =
        jobs.transition(j.id(), null, JobStatus.CANCELLED, "customer called off", DISPATCHER);
    assertThrows(
        StateConflictException.class,
        () -> jobs.update(j.id(), cancelled.version(), patch("title", "revived"), DISPATCHER));
    assertEquals("T", jobs.get(j.id()).title());
    assertEquals(cancelled.version(), jobs.get(j.id()).version());
  }

  @Test
  public void theWindowCannotShrinkAwayFromTheAssignedSlot() {
    WorkOrder j = create("T");
    long v = assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina).job().version();
    invalidOnOneOf(
        () -> jobs.update(j.id(), v, patch("windowStart", "2026-11-26T16:00:00Z"), DISPATCHER),
        "windowStart",
        "windowEnd");
  }

  @Test
  public void updateOfAnUnknownJobIsNotFound() {
    assertThrows(
        NotFoundException.class, () -> jobs.update(Ids.next(), 1, patch("title", "x"), DISPATCHER));
  }

  // --- assign ---

  @Test
  public void assigningANewJobDispatchesIt() {
    WorkOrder j = create("T");
    clock.advance(Duration.ofMinutes(1));
    AssignmentResult r =
        jobs.assign(
            j.id(),
            1L,
            slot(List.of(tina), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z"),
            DISPATCHER);
    WorkOrder after = r.job();
    assertEquals(JobStatus.DISPATCHED, after.status());
    assertEquals(2L, after.version());
    assertEquals(List.of(tina), after.assignment().technicianIds());
    assertEquals(Instant.parse("2026-11-26T15:00:00Z"), after.assignment().start());
    assertEquals(Instant.parse("2026-11-26T17:00:00Z"), after.assignment().end());
    assertEquals(List.of(), r.warnings());
    assertEquals(after, jobs.get(j.id()));
    assertTrue(
        after.audit().stream()
            .anyMatch(
                a ->
                    a.version() == 2
                        && "assigned".equals(a.action())
                        && "status".equals(a.field())
                        && "NEW".equals(a.oldValue())
                        && "DISPATCHED".equals(a.newValue())));
    assertTrue(
        after.audit().stream()
            .anyMatch(
                a ->
                    a.version() == 2
                        && "technicianIds".equals(a.field())
                        && tina.equals(a.newValue())));
  }

  @Test
  public void assigningAScheduledJobDispatchesItAndReassigningKeepsItDispatched() {
    WorkOrder j = create("T");
    jobs.transition(j.id(), null, JobStatus.SCHEDULED, null, DISPATCHER);
    WorkOrder d = assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina, rita).job();
    assertEquals(JobStatus.DISPATCHED, d.status());
    assertEquals(List.of(tina, rita), d.assignment().technicianIds());
    WorkOrder again = assign(j.id(), "2026-11-26T18:00:00Z", "2026-11-26T19:00:00Z", rita).job();
    assertEquals(JobStatus.DISPATCHED, again.status());
    assertEquals(List.of(rita), again.assignment().technicianIds());
    assertEquals(d.version() + 1, again.version());
  }

  @Test
  public void theSlotMustLieWithinTheWindow() {
    WorkOrder j = create("T");
    invalid(() -> assign(j.id(), "2026-11-26T13:00:00Z", "2026-11-26T15:00:00Z", tina), "start");
    invalid(() -> assign(j.id(), "2026-11-26T21:00:00Z", "2026-11-26T23:00:00Z", tina), "start");
    invalid(() -> assign(j.id(), "2026-11-26T17:00:00Z", "2026-11-26T16:00:00Z", tina), "end");
    invalid(
        () -> jobs.assign(j.id(), null, new Assignment(List.of(tina), null, null), DISPATCHER),
        "start",
        "end");
    assertEquals(JobStatus.NEW, jobs.get(j.id()).status());
    assertEquals(1L, jobs.get(j.id()).version());
  }

  @Test
  public void unknownOrInactiveTechniciansAreRefusedByIndex() {
    WorkOrder j = create("T");
    invalid(
        () -> assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina, Ids.next()),
        "technicianIds[1]");
    invalid(
        () -> assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", ted),
        "technicianIds[0]");
    invalid(
        () -> assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina, tina),
        "technicianIds[1]");
    assertEquals(1L, jobs.get(j.id()).version());
  }

  @Test
  public void unassigningADispatchedJobSchedulesIt() {
    WorkOrder j = create("T");
    assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina);
    AssignmentResult r = jobs.assign(j.id(), 2L, Assignment.none(), DISPATCHER);
    assertEquals(JobStatus.SCHEDULED, r.job().status());
    assertEquals(3L, r.job().version());
    assertFalse(r.job().assignment().hasTechnicians());
    assertNull(r.job().assignment().start());
    assertNull(r.job().assignment().end());
    assertEquals("unassigned", r.job().audit().get(0).action());
    assertEquals(List.of(), ids(new JobQuery(null, tina, null, null)));
    // un-assigning [] as a JSON body would send it: an empty list with no slot
    AssignmentResult again =
        jobs.assign(j.id(), null, new Assignment(List.of(), null, null), DISPATCHER);
    assertEquals(3L, again.job().version());
  }

  @Test
  public void aJobOnHoldStaysOnHoldWhenAssigned() {
    WorkOrder j = create("T");
    jobs.transition(j.id(), null, JobStatus.ON_HOLD, "waiting for parts", DISPATCHER);
    WorkOrder held = assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina).job();
    assertEquals(JobStatus.ON_HOLD, held.status());
    assertEquals(List.of(tina), held.assignment().technicianIds());
    WorkOrder unheld = jobs.assign(j.id(), null, Assignment.none(), DISPATCHER).job();
    assertEquals(JobStatus.ON_HOLD, unheld.status());
    assertFalse(unheld.assignment().hasTechnicians());
  }

  @Test
  public void completedOnSiteAndCancelledJobsCannotBeAssigned() {
    for (JobStatus status :
        List.of(
            JobStatus.COMPLETED,
            JobStatus.ON_SITE,
            JobStatus.CANCELLED,
            JobStatus.INVOICED,
            JobStatus.CLOSED)) {
      WorkOrder j = create("T " + status);
      forceStatus(j.id(), status);
      long version = jobs.get(j.id()).version();
      assertThrows(
          status.name(),
          StateConflictException.class,
          () -> assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina));
      assertThrows(
          status.name(),
          StateConflictException.class,
          () -> jobs.assign(j.id(), null, Assignment.none(), DISPATCHER));
      assertEquals(status, jobs.get(j.id()).status());
      assertEquals(version, jobs.get(j.id()).version());
    }
  }

  @Test
  public void aJobEnRouteOrPausedMayBeReassignedButNotUnassigned() {
    for (JobStatus status : List.of(JobStatus.EN_ROUTE, JobStatus.PAUSED)) {
      WorkOrder j = create("T " + status);
      assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina);
      forceStatus(j.id(), status);
      long version = jobs.get(j.id()).version();
      assertThrows(
          status.name(),
          StateConflictException.class,
          () -> jobs.assign(j.id(), null, Assignment.none(), DISPATCHER));
      assertEquals(List.of(tina), jobs.get(j.id()).assignment().technicianIds());
      assertEquals(version, jobs.get(j.id()).version());

      WorkOrder moved = assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", rita).job();
      assertEquals(status, moved.status());
      assertEquals(List.of(rita), moved.assignment().technicianIds());
      assertEquals(version + 1, moved.version());
    }
  }

  @Test
  public void aStaleVersionOnAssignIsAMismatch() {
    WorkOrder j = create("T");
    jobs.update(j.id(), 1, patch("title", "T2"), DISPATCHER);
    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () ->
                jobs.assign(
                    j.id(),
                    1L,
                    slot(List.of(tina), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z"),
                    DISPATCHER));
    assertEquals(2L, e.currentVersion());
  }

  @Test
  public void anOverlappingSlotOnAnotherOpenJobIsADoubleBooking() {
    WorkOrder first = create("First");
    assign(first.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina);
    WorkOrder second = create("Second");
    AssignmentResult r = assign(second.id(), "2026-11-26T16:00:00Z", "2026-11-26T18:00:00Z", tina);
    assertEquals(Set.of("DOUBLE_BOOKED"), codes(r.warnings()));
    assertTrue(r.warnings().get(0).message(), r.warnings().get(0).message().contains(first.id()));
    // accepted all the same
    assertEquals(JobStatus.DISPATCHED, r.job().status());
    // another technician in the same slot is not double-booked
    WorkOrder third = create("Third");
    assertEquals(
        List.of(),
        assign(third.id(), "2026-11-26T16:00:00Z", "2026-11-26T18:00:00Z", rita).warnings());
    // re-assigning a job onto its own slot is no clash with itself
    assertFalse(
        codes(assign(first.id(), "2026-11-26T15:30:00Z", "2026-11-26T16:30:00Z", tina).warnings())
            .isEmpty()); // still clashes with "Second"
    WorkOrder fourth = create("Fourth");
    assertEquals(
        List.of(),
        assign(fourth.id(), "2026-11-26T19:00:00Z", "2026-11-26T20:00:00Z", tina).warnings());
    assertEquals(
        List.of(),
        assign(fourth.id(), "2026-11-26T19:30:00Z", "2026-11-26T20:30:00Z", tina).warnings());
  }

  @Test
  public void aCancelledJobIsNoDoubleBooking() {
    WorkOrder first = create("First");
    assign(first.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina);
    jobs.transition(first.id(), null, JobStatus.CANCELLED, null, DISPATCHER);
    WorkOrder second = create("Second");
    assertEquals(
        List.of(),
        assign(second.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina).warnings());
  }

  @Test
  public void slotsThatOnlyTouchAreNoDoubleBooking() {
    WorkOrder first = create("First");
    assign(first.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina);
    WorkOrder before = create("Before");
    assertEquals(
        List.of(),
        assign(before.id(), "2026-11-26T14:00:00Z", "2026-11-26T15:00:00Z", tina).warnings());
    WorkOrder after = create("After");
    assertEquals(
        List.of(),
        assign(after.id(), "2026-11-26T17:00:00Z", "2026-11-26T18:00:00Z", tina).warnings());
  }

  @Test
  public void aTechnicianWithoutTheJobTypesSkillIsWarned() {
    WorkOrder j = create("T"); // hvac.maintenance
    AssignmentResult r = assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tom);
    assertEquals(Set.of("MISSING_SKILL"), codes(r.warnings()));
    assertTrue(r.warnings().get(0).message(), r.warnings().get(0).message().contains("hvac"));
    assertEquals(JobStatus.DISPATCHED, r.job().status());
    // tina has "hvac"
    assertEquals(
        List.of(), assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina).warnings());
    // two technicians: only the one lacking it is named
    List<Warning> both =
        assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina, tom).warnings();
    assertEquals(1, both.size());
    assertTrue(both.get(0).message(), both.get(0).message().contains("Tom"));
  }

  @Test
  public void aTechnicianWithoutAnEquipmentTypesSkillIsWarned() {
    WorkOrder j =
        jobs.create(
            new WorkOrderDraft(
                acme,
                acmeRoof,
                List.of(rooftopUnit, walkIn),
                "Cold room",
                null,
                "hvac.maintenance",
                null,
                WINDOW_START,
                WINDOW_END,
                null,
                null),
            DISPATCHER);
    List<Warning> warnings =
        assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina).warnings();
    assertEquals(Set.of("MISSING_SKILL"), codes(warnings));
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).message(), warnings.get(0).message().contains("refrigeration"));
    assertEquals(
        List.of(), assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", rita).warnings());
  }

  @Test
  public void unassigningHasNoWarnings() {
    WorkOrder j = create("T");
    assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tom);
    assertEquals(List.of(), jobs.assign(j.id(), null, Assignment.none(), DISPATCHER).warnings());
  }

  // --- transition ---

  @Test
  public void newToScheduledNeedsAWindow() {
    WorkOrder noWindow = jobs.create(draft("T", null, null), DISPATCHER);
    StateConflictException e =
        assertThrows(
            StateConflictException.class,
            () -> jobs.transition(noWindow.id(), 1L, JobStatus.SCHEDULED, null, DISPATCHER));
    assertFalse(e.allowed().contains("SCHEDULED"));
    assertEquals(JobStatus.NEW, jobs.get(noWindow.id()).status());
    assertEquals(1L, jobs.get(noWindow.id()).version());

    WorkOrder windowed = create("W");
    WorkOrder scheduled = jobs.transition(windowed.id(), 1L, JobStatus.SCHEDULED, null, DISPATCHER);
    assertEquals(JobStatus.SCHEDULED, scheduled.status());
    assertEquals(2L, scheduled.version());
    AuditEntry a = scheduled.audit().get(0);
    assertEquals("status", a.action());
    assertEquals("status", a.field());
    assertEquals("NEW", a.oldValue());
    assertEquals("SCHEDULED", a.newValue());
  }

  @Test
  public void newToCancelledKeepsTheReasonInTheAudit() {
    WorkOrder j = create("T");
    WorkOrder c =
        jobs.transition(j.id(), 1L, JobStatus.CANCELLED, "duplicate of another job", DISPATCHER);
    assertEquals(JobStatus.CANCELLED, c.status());
    assertEquals(2L, c.version());
    assertTrue(
        c.audit().stream()
            .anyMatch(
                a ->
                    "reason".equals(a.field()) && "duplicate of another job".equals(a.newValue())));
    // final: nothing leaves it
    for (JobStatus to : JobStatus.values()) {
      assertThrows(
          to.name(),
          StateConflictException.class,
          () -> jobs.transition(j.id(), null, to, null, DISPATCHER));
    }
    assertEquals(2L, jobs.get(j.id()).version());
  }

  @Test
  public void onHoldBackToScheduled() {
    WorkOrder j = create("T");
    assertEquals(
        JobStatus.ON_HOLD,
        jobs.transition(j.id(), 1L, JobStatus.ON_HOLD, "parts", DISPATCHER).status());
    WorkOrder back = jobs.transition(j.id(), 2L, JobStatus.SCHEDULED, null, DISPATCHER);
    assertEquals(JobStatus.SCHEDULED, back.status());
    assertEquals(3L, back.version());
  }

  @Test
  public void everyOpenStatusMayBeHeldOrCancelled() {
    for (JobStatus open :
        List.of(
            JobStatus.NEW,
            JobStatus.SCHEDULED,
            JobStatus.DISPATCHED,
            JobStatus.EN_ROUTE,
            JobStatus.ON_SITE,
            JobStatus.PAUSED)) {
      for (JobStatus to : List.of(JobStatus.ON_HOLD, JobStatus.CANCELLED)) {
        WorkOrder j = create(open + " to " + to);
        forceStatus(j.id(), open);
        assertEquals(
            open + " -> " + to, to, jobs.transition(j.id(), null, to, null, DISPATCHER).status());
      }
    }
  }

  @Test
  public void completedMayBeReopenedByTheOffice() {
    WorkOrder j = create("T");
    assign(j.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina);
    forceStatus(j.id(), JobStatus.COMPLETED);
    long version = jobs.get(j.id()).version();
    WorkOrder reopened =
        jobs.transition(
            j.id(), version, JobStatus.DISPATCHED, "customer says still broken", DISPATCHER);
    assertEquals(JobStatus.DISPATCHED, reopened.status());
    assertEquals(version + 1, reopened.version());
    assertEquals(List.of(tina), reopened.assignment().technicianIds());
  }

  @Test
  public void anIllegalOfficeMoveNamesTheAllowedMoves() {
    WorkOrder j = create("T");
    StateConflictException e =
        assertThrows(
            StateConflictException.class,
            () -> jobs.transition(j.id(), 1L, JobStatus.ON_SITE, null, DISPATCHER));
    assertEquals(Set.of("SCHEDULED", "ON_HOLD", "CANCELLED"), names(e.allowed()));
    assertTrue(e.getMessage(), e.getMessage().contains("SCHEDULED"));
    // assignment's and technicians' moves are not the office's through transitions
    assertEquals(
        Set.of("SCHEDULED", "ON_HOLD", "CANCELLED"),
        names(
            assertThrows(
                    StateConflictException.class,
                    () -> jobs.transition(j.id(), 1L, JobStatus.DISPATCHED, null, DISPATCHER))
                .allowed()));
    forceStatus(j.id(), JobStatus.COMPLETED);
    assertEquals(
        Set.of("DISPATCHED"),
        names(
            assertThrows(
                    StateConflictException.class,
                    () -> jobs.transition(j.id(), null, JobStatus.INVOICED, null, DISPATCHER))
                .allowed()));
    assertEquals(JobStatus.COMPLETED, jobs.get(j.id()).status());
  }

  @Test
  public void aStaleVersionOnTransitionIsAMismatchBeforeTheStateRule() {
    WorkOrder j = create("T");
    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () -> jobs.transition(j.id(), 5L, JobStatus.ON_SITE, null, DISPATCHER));
    assertEquals(1L, e.currentVersion());
  }

  @Test
  public void theTargetIsRequired() {
    WorkOrder j = create("T");
    invalid(() -> jobs.transition(j.id(), 1L, null, null, DISPATCHER), "to");
  }

  // --- list ---

  @Test
  public void listFiltersByStatusTechnicianAndSite() {
    WorkOrder a = create("A");
    WorkOrder b = create("B");
    WorkOrder c =
        jobs.create(
            new WorkOrderDraft(
                acme,
                acmeBasement,
                List.of(boiler),
                "C",
                null,
                "boiler.service",
                null,
                WINDOW_START,
                WINDOW_END,
                null,
                null),
            DISPATCHER);
    assign(b.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tina);
    assign(c.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tom, tina);
    jobs.transition(a.id(), null, JobStatus.ON_HOLD, null, DISPATCHER);

    assertEquals(List.of(a.id(), b.id(), c.id()), ids(JobQuery.all()));
    assertEquals(
        List.of(b.id(), c.id()), ids(new JobQuery(JobStatus.DISPATCHED, null, null, null)));
    assertEquals(List.of(a.id()), ids(new JobQuery(JobStatus.ON_HOLD, null, null, null)));
    assertEquals(List.of(), ids(new JobQuery(JobStatus.NEW, null, null, null)));
    assertEquals(List.of(b.id(), c.id()), ids(new JobQuery(null, tina, null, null)));
    assertEquals(List.of(c.id()), ids(new JobQuery(null, tom, null, null)));
    assertEquals(List.of(), ids(new JobQuery(null, rita, null, null)));
    assertEquals(List.of(a.id(), b.id()), ids(new JobQuery(null, null, null, acmeRoof)));
    assertEquals(List.of(c.id()), ids(new JobQuery(null, null, null, acmeBasement)));
    assertEquals(List.of(c.id()), ids(new JobQuery(JobStatus.DISPATCHED, tom, null, acmeBasement)));
    assertEquals(List.of(), ids(new JobQuery(JobStatus.ON_HOLD, tina, null, null)));

    // re-assigning away removes the job from the technician's list
    assign(c.id(), "2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z", tom);
    assertEquals(List.of(b.id()), ids(new JobQuery(null, tina, null, null)));
  }

  @Test
  public void theDateFilterUsesTheBusinessTimeZone() {
    // Thursday 26 Nov, 21:00 to 23:00 in Chicago = Friday 27 Nov, 03:00 to 05:00 UTC
    WorkOrder late =
        jobs.create(
            draft(
                "Late",
                Instant.parse("2026-11-26T20:00:00Z"),
                Instant.parse("2026-11-27T06:00:00Z")),
            DISPATCHER);
    assign(late.id(), "2026-11-27T03:00:00Z", "2026-11-27T05:00:00Z", tina);
    // no slot: its window (Friday 27 Nov 09:00 to 12:00 in Chicago) counts
    WorkOrder friday =
        jobs.create(
            draft(
                "Friday",
                Instant.parse("2026-11-27T15:00:00Z"),
                Instant.parse("2026-11-27T18:00:00Z")),
            DISPATCHER);
    // neither window nor slot: never on a day
    WorkOrder undated = jobs.create(draft("Undated", null, null), DISPATCHER);
    // a window over three days, but a slot on Saturday: the slot counts
    WorkOrder slotted =
        jobs.create(
            draft(
                "Slotted",
                Instant.parse("2026-11-26T14:00:00Z"),
                Instant.parse("2026-11-29T06:00:00Z")),
            DISPATCHER);
    assign(slotted.id(), "2026-11-28T15:00:00Z", "2026-11-28T16:00:00Z", rita);

    assertEquals(
        List.of(late.id()), ids(new JobQuery(null, null, LocalDate.of(2026, 11, 26), null)));
    assertEquals(
        List.of(friday.id()), ids(new JobQuery(null, null, LocalDate.of(2026, 11, 27), null)));
    assertEquals(
        List.of(slotted.id()), ids(new JobQuery(null, null, LocalDate.of(2026, 11, 28), null)));
    assertEquals(List.of(), ids(new JobQuery(null, null, LocalDate.of(2026, 11, 25), null)));
    // combined with the other filters
    assertEquals(
        List.of(late.id()),
        ids(new JobQuery(JobStatus.DISPATCHED, tina, LocalDate.of(2026, 11, 26), acmeRoof)));
    assertEquals(
        List.of(), ids(new JobQuery(JobStatus.NEW, null, LocalDate.of(2026, 11, 26), null)));
    assertEquals(List.of(), ids(new JobQuery(null, rita, LocalDate.of(2026, 11, 27), null)));
    assertNotNull(undated);

    // the same data read in UTC puts the late job on Friday
    WorkOrderServiceImpl utc =
        new WorkOrderServiceImpl(db, prices, new ChecklistRegistry(), clock, ZoneId.of("UTC"));
    List<String> fridayUtc = new ArrayList<>();
    utc.list(new JobQuery(null, null, LocalDate.of(2026, 11, 27), null), PageRequest.first(10))
        .items()
        .forEach(j -> fridayUtc.add(j.id()));
    assertEquals(List.of(late.id(), friday.id()), fridayUtc);
  }

  @Test
  public void listIsPagedInCreationOrder() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(create("Job " + (char) ('Z' - i)).id());
    }
    Page<WorkOrder> p1 = jobs.list(JobQuery.all(), PageRequest.first(2));
    assertEquals(all.subList(0, 2), p1.items().stream().map(WorkOrder::id).toList());
    Page<WorkOrder> p2 = jobs.list(JobQuery.all(), new PageRequest(2, p1.nextCursor()));
    assertEquals(all.subList(2, 4), p2.items().stream().map(WorkOrder::id).toList());
    Page<WorkOrder> p3 = jobs.list(JobQuery.all(), new PageRequest(2, p2.nextCursor()));
    assertEquals(all.subList(4, 5), p3.items().stream().map(WorkOrder::id).toList());
    assertNull(p3.nextCursor());
  }

  // --- audit ---

  @Test
  public void theAuditTrailIsNewestFirstAndPaged() {
    WorkOrder j = create("v1");
    for (int v = 2; v <= 5; v++) {
      clock.advance(Duration.ofMinutes(1));
      jobs.update(j.id(), v - 1, patch("title", "v" + v), DISPATCHER);
    }
    Page<AuditEntry> p1 = jobs.audit(j.id(), PageRequest.first(2));
    assertEquals(List.of(5L, 4L), p1.items().stream().map(AuditEntry::version).toList());
    assertEquals("v5", p1.items().get(0).newValue());
    assertEquals("v4", p1.items().get(0).oldValue());
    assertNotNull(p1.nextCursor());
    Page<AuditEntry> p2 = jobs.audit(j.id(), new PageRequest(2, p1.nextCursor()));
    assertEquals(List.of(3L, 2L), p2.items().stream().map(AuditEntry::version).toList());
    Page<AuditEntry> p3 = jobs.audit(j.id(), new PageRequest(2, p2.nextCursor()));
    assertEquals(List.of(1L), p3.items().stream().map(AuditEntry::version).toList());
    assertEquals("created", p3.items().get(0).action());
    assertNull(p3.nextCursor());
    // the record carries the same trail, newest first
    assertEquals(
        List.of(5L, 4L, 3L, 2L, 1L),
        jobs.get(j.id()).audit().stream().map(AuditEntry::version).toList());
  }

  @Test
  public void theAuditTrailIsPerJob() {
    WorkOrder a = create("A");
    WorkOrder b = create("B");
    jobs.update(b.id(), 1, patch("title", "B2"), DISPATCHER);
    assertEquals(1, jobs.audit(a.id(), PageRequest.first(50)).items().size());
    assertEquals(2, jobs.audit(b.id(), PageRequest.first(50)).items().size());
    assertThrows(NotFoundException.class, () -> jobs.audit(Ids.next(), PageRequest.first(50)));
  }
}
