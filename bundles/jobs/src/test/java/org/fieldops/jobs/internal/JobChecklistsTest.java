package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.CustomerServiceImplTest.DISPATCHER;
import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.AuditEntry;
import org.fieldops.api.jobs.ChecklistAnswer;
import org.fieldops.api.jobs.ChecklistIncompleteException;
import org.fieldops.api.jobs.JobChecklist;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.EquipmentDraft;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.security.UserDraft;
import org.fieldops.spi.checklist.ChecklistContext;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ChecklistProvider;
import org.fieldops.spi.checklist.ChecklistTemplate;
import org.fieldops.spi.checklist.ItemType;
import org.fieldops.store.WorkOrderEntity;
import org.fieldops.store.testing.TestDatabase;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * Checklists on jobs through the jobs service on the real store: fixing at dispatch, answers,
 * completion.
 */
public class JobChecklistsTest {
  static final Instant T0 = Instant.parse("2026-11-25T08:30:00Z");
  static final Instant WINDOW_START = Instant.parse("2026-11-26T14:00:00Z");
  static final Instant WINDOW_END = Instant.parse("2026-11-26T22:00:00Z");
  static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static final Caller TINA = new Caller("tina", Set.of(Role.TECHNICIAN));
  static final Caller TOM = new Caller("tom", Set.of(Role.TECHNICIAN));

  /** hvac-check v3: required yes/no, required number 0..300 psi, optional text. */
  static final ChecklistTemplate HVAC_CHECK =
      new ChecklistTemplate(
          "hvac-check",
          3,
          "HVAC check",
          List.of(
              new ChecklistItem(
                  "filter-ok", "Filter clean", ItemType.YES_NO, true, null, null, null, null),
              new ChecklistItem(
                  "pressure",
                  "Pressure",
                  ItemType.NUMBER,
                  true,
                  BigDecimal.ZERO,
                  new BigDecimal("300"),
                  "psi",
                  null),
              new ChecklistItem("notes", "Notes", ItemType.TEXT, false, null, null, null, null)));

  /** safety v1: required choice, required photo. */
  static final ChecklistTemplate SAFETY =
      new ChecklistTemplate(
          "safety",
          1,
          "Safety",
          List.of(
              new ChecklistItem(
                  "risk", "Risk", ItemType.CHOICE, true, null, null, null, List.of("low", "high")),
              new ChecklistItem(
                  "photo", "Site photo", ItemType.PHOTO, true, null, null, null, null)));

  /** late v1: a required item a later plugin would like to add. */
  static final ChecklistTemplate LATE =
      new ChecklistTemplate(
          "late",
          1,
          "Late",
          List.of(
              new ChecklistItem("extra", "Extra", ItemType.YES_NO, true, null, null, null, null)));

  @Rule public final TestDatabase db = new TestDatabase();

  private final MutableClock clock = new MutableClock(T0);
  private ChecklistRegistry registry;
  private WorkOrderServiceImpl jobs;

  private String acme;
  private String roof;
  private String rooftopUnit; // hvac.rooftop
  private String pump; // plumbing.pump
  private String tina; // user tina
  private String tom; // user tom

  /**
   * A test plugin: templates for hvac.* jobs (or always), recording what it was asked and
   * validated.
   */
  static final class TestProvider implements ChecklistProvider {
    final List<ChecklistContext> asked = new CopyOnWriteArrayList<>();
    final List<Object> validated = new CopyOnWriteArrayList<>();
    final String jobTypePrefix;
    volatile List<ChecklistTemplate> templates;
    volatile String refuse; // a message to refuse every answer with, or null

    TestProvider(String jobTypePrefix, ChecklistTemplate... templates) {
      this.jobTypePrefix = jobTypePrefix;
      this.templates = List.of(templates);
    }

    @Override
    public List<ChecklistTemplate> templatesFor(ChecklistContext context) {
      asked.add(context);
      return context.jobType().startsWith(jobTypePrefix) ? templates : List.of();
    }

    @Override
    public Optional<String> validate(
        ChecklistTemplate template, ChecklistItem item, Object answer) {
      validated.add(
          template.id()
              + "/"
              + item.id()
              + "="
              + answer
              + " ("
              + answer.getClass().getSimpleName()
              + ")");
      return Optional.ofNullable(refuse);
    }
  }

  @Before
  public void setUp() {
    UserServiceImpl users = new UserServiceImpl(db, clock, 1_000, Duration.ofSeconds(30));
    for (String name : List.of("tina", "tom")) {
      users.create(
          new UserDraft(name, "correct horse battery", List.of("technician"), null),
          Caller.system());
    }
    acme =
        new CustomerServiceImpl(db, clock)
            .create(new CustomerDraft("Acme", null, null, null, "USD"), DISPATCHER)
            .id();
    roof =
        new SiteServiceImpl(db, clock)
            .create(new SiteDraft(acme, "1 Main St", null, null, null), DISPATCHER)
            .id();
    EquipmentServiceImpl equipment = new EquipmentServiceImpl(db, clock);
    rooftopUnit =
        equipment
            .create(new EquipmentDraft(roof, "hvac.rooftop", null, null, null, null), DISPATCHER)
            .id();
    pump =
        equipment
            .create(new EquipmentDraft(roof, "plumbing.pump", null, null, null, null), DISPATCHER)
            .id();
    TechnicianServiceImpl technicians = new TechnicianServiceImpl(db, clock);
    tina =
        technicians
            .create(
                new TechnicianDraft("Tina", "tina", List.of("hvac", "plumbing"), null), DISPATCHER)
            .id();
    tom =
        technicians
            .create(
                new TechnicianDraft("Tom", "tom", List.of("hvac", "plumbing"), null), DISPATCHER)
            .id();
    registry = new ChecklistRegistry();
    jobs =
        new WorkOrderServiceImpl(
            db, new PriceBookServiceImpl(db), registry, clock, ZoneId.of("America/Chicago"));
  }

  @After
  public void tearDown() {
    registry.deactivate();
  }

  // --- helpers ---

  private WorkOrder create(String type, String... equipmentIds) {
    return jobs.create(
        new WorkOrderDraft(
            acme,
            roof,
            List.of(equipmentIds),
            "Job " + type,
            null,
            type,
            null,
            WINDOW_START,
            WINDOW_END,
            null,
            List.of()),
        DISPATCHER);
  }

  private WorkOrder assign(String jobId, String... technicianIds) {
    clock.advance(Duration.ofMinutes(1));
    return jobs.assign(
            jobId,
            null,
            new Assignment(List.of(technicianIds), WINDOW_START, WINDOW_START.plusSeconds(7_200)),
            DISPATCHER)
        .job();
  }

  private WorkOrder unassign(String jobId) {
    clock.advance(Duration.ofMinutes(1));
    return jobs.assign(jobId, null, Assignment.none(), DISPATCHER).job();
  }

  /** A dispatched job of type hvac.maintenance with the rooftop unit, assigned to Tina. */
  private WorkOrder dispatched() {
    return assign(create("hvac.maintenance", rooftopUnit).id(), tina);
  }

  private JobChecklist answer(String jobId, String templateId, String itemId, Object value) {
    clock.advance(Duration.ofMinutes(1));
    return jobs.answerChecklist(jobId, templateId, itemId, value, TINA);
  }

  private static List<String> describe(List<JobChecklist> checklists) {
    List<String> out = new ArrayList<>();
    checklists.forEach(
        c ->
            out.add(
                c.template().id()
                    + "@"
                    + c.template().version()
                    + " from "
                    + c.provider()
                    + " missing "
                    + c.missing()));
    return out;
  }

  private static JobChecklist checklist(WorkOrder job, String templateId) {
    return job.checklists().stream()
        .filter(c -> c.template().id().equals(templateId))
        .findFirst()
        .orElseThrow();
  }

  private long changeRows(String jobId) {
    return db.read(
        em ->
            em.createQuery("SELECT COUNT(c) FROM ChangeEntity c WHERE c.jobId = :job", Long.class)
                .setParameter("job", jobId)
                .getSingleResult());
  }

  private long answerRows(String jobId) {
    return db.read(
        em ->
            em.createQuery(
                    "SELECT COUNT(a) FROM ChecklistAnswerEntity a WHERE a.jobId = :job", Long.class)
                .setParameter("job", jobId)
                .getSingleResult());
  }

  private boolean fixedFlag(String jobId) {
    return db.read(em -> em.find(WorkOrderEntity.class, jobId).checklistsFixed);
  }

  private List<AuditEntry> audit(String jobId) {
    return jobs.audit(jobId, PageRequest.first(100)).items();
  }

  private void answerEverythingRequired(String jobId) {
    answer(jobId, "hvac-check", "filter-ok", true);
    answer(jobId, "hvac-check", "pressure", 120);
    answer(jobId, "safety", "risk", "low");
    answer(jobId, "safety", "photo", Map.of("sha256", SHA));
  }

  // --- fixing at the first dispatch ---

  @Test
  public void assigningANewJobFixesTheTemplatesOfTheRegisteredProviders() {
    TestProvider plugin = new TestProvider("hvac.", HVAC_CHECK);
    TestProvider other = new TestProvider("", SAFETY);
    registry.add(other, "com.example.safety", -10);
    registry.add(plugin, "com.example.hvac", 10);
    WorkOrder created = create("hvac.maintenance", rooftopUnit, pump);
    assertEquals(List.of(), created.checklists());
    assertFalse(fixedFlag(created.id()));
    assertEquals("nobody is asked before the dispatch", List.of(), plugin.asked);

    WorkOrder job = assign(created.id(), tina);

    assertEquals(JobStatus.DISPATCHED, job.status());
    assertEquals(
        List.of(
            "hvac-check@3 from com.example.hvac missing [filter-ok, pressure]",
            "safety@1 from com.example.safety missing [risk, photo]"),
        describe(job.checklists()));
    assertEquals(HVAC_CHECK, job.checklists().get(0).template());
    assertEquals(SAFETY, job.checklists().get(1).template());
    assertEquals(List.of(), job.checklists().get(0).answers());
    assertEquals(job, jobs.get(job.id()));
    assertEquals(job.checklists(), jobs.get(job.id()).checklists());
    assertTrue(fixedFlag(job.id()));
    assertEquals(
        List.of(
            new ChecklistContext(
                job.id(), "hvac.maintenance", List.of("hvac.rooftop", "plumbing.pump"), acme)),
        plugin.asked);
    assertEquals(1, other.asked.size());
    // the fixing is audited with the dispatch
    AuditEntry fixed =
        audit(job.id()).stream()
            .filter(a -> "checklists".equals(a.field()))
            .findFirst()
            .orElseThrow();
    assertEquals("assigned", fixed.action());
    assertEquals("hvac-check@3,safety@1", fixed.newValue());
    assertEquals(job.version(), fixed.version());
  }

  @Test
  public void aScheduledJobIsFixedWhenDispatchedToo() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK), "com.example.hvac", 0);
    WorkOrder job = create("hvac.repair");
    jobs.transition(job.id(), null, JobStatus.SCHEDULED, null, DISPATCHER);
    assertEquals(List.of(), jobs.get(job.id()).checklists());
    assertEquals(
        List.of("hvac-check@3 from com.example.hvac missing [filter-ok, pressure]"),
        describe(assign(job.id(), tina).checklists()));
  }

  @Test
  public void theFileProviderContributesTheShippedTemplates() {
    registry.add(
        new FileChecklistProvider(FileChecklistProviderTest.SHIPPED),
        "org.fieldops.jobs/org.fieldops.checklists",
        -100);
    WorkOrder pumpJob = assign(create("plumbing.repair", pump).id(), tina);
    assertEquals(
        List.of(
            "pump-service@1 from org.fieldops.jobs/org.fieldops.checklists missing [seal-ok, discharge-pressure, motor-condition]",
            "site-safety@1 from org.fieldops.jobs/org.fieldops.checklists missing [ppe]"),
        describe(pumpJob.checklists()));
    WorkOrder hvacJob = assign(create("hvac.maintenance", rooftopUnit).id(), tina);
    assertEquals(
        List.of("site-safety@1 from org.fieldops.jobs/org.fieldops.checklists missing [ppe]"),
        describe(hvacJob.checklists()));
  }

  @Test
  public void aProviderRegisteredAfterTheFirstDispatchDoesNotChangeTheJob() {
    TestProvider first = new TestProvider("hvac.", HVAC_CHECK);
    registry.add(first, "com.example.hvac", 0);
    WorkOrder job = dispatched();
    List<JobChecklist> atDispatch = job.checklists();
    assertEquals(1, atDispatch.size());

    TestProvider late = new TestProvider("", LATE);
    registry.add(late, "com.example.late", 100);
    first.templates =
        List.of(
            new ChecklistTemplate(
                "hvac-check",
                4,
                "HVAC check v4",
                List.of(
                    new ChecklistItem(
                        "new-required", "New", ItemType.YES_NO, true, null, null, null, null))));

    assertEquals(JobStatus.SCHEDULED, unassign(job.id()).status());
    WorkOrder again = assign(job.id(), tom);
    assertEquals(JobStatus.DISPATCHED, again.status());
    assertEquals(atDispatch, again.checklists());
    assertEquals(HVAC_CHECK, again.checklists().get(0).template());
    assertEquals(atDispatch, assign(job.id(), tina).checklists()); // re-assigned while dispatched
    assertEquals("the late provider is never asked about this job", List.of(), late.asked);
    assertEquals(1, first.asked.size());

    // a job dispatched now gets the late provider's template and the new version
    WorkOrder fresh = dispatched();
    assertEquals(
        List.of(
            "late@1 from com.example.late missing [extra]",
            "hvac-check@4 from com.example.hvac missing [new-required]"),
        describe(fresh.checklists()));
  }

  @Test
  public void aJobWithNoMatchingTemplateGetsNoChecklistsButIsFixed() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK), "com.example.hvac", 0);
    WorkOrder job = assign(create("plumbing.repair", pump).id(), tina);
    assertEquals(List.of(), job.checklists());
    assertTrue(fixedFlag(job.id()));

    TestProvider late = new TestProvider("", LATE);
    registry.add(late, "com.example.late", 0);
    unassign(job.id());
    assertEquals(List.of(), assign(job.id(), tina).checklists());
    assertEquals(List.of(), late.asked);
    // and nothing blocks its completion
    jobs.moveByTechnician(job.id(), JobStatus.ON_SITE, TINA);
    assertEquals(
        JobStatus.COMPLETED, jobs.moveByTechnician(job.id(), JobStatus.COMPLETED, TINA).status());
  }

  @Test
  public void aJobWithoutProvidersIsFixedEmpty() {
    WorkOrder job = dispatched();
    assertEquals(List.of(), job.checklists());
    assertTrue(fixedFlag(job.id()));
  }

  @Test
  public void aFailingProviderDoesNotStopTheDispatch() {
    registry.add(
        context -> {
          throw new IllegalStateException("plugin bug");
        },
        "com.example.broken",
        50);
    registry.add(context -> null, "com.example.null", 40);
    registry.add(new TestProvider("hvac.", HVAC_CHECK), "com.example.hvac", 0);
    WorkOrder job = dispatched();
    assertEquals(JobStatus.DISPATCHED, job.status());
    assertEquals(
        List.of("hvac-check@3 from com.example.hvac missing [filter-ok, pressure]"),
        describe(job.checklists()));
  }

  @Test
  public void assigningANewJobWithoutTechniciansFixesNothing() {
    TestProvider plugin = new TestProvider("hvac.", HVAC_CHECK);
    registry.add(plugin, "com.example.hvac", 0);
    WorkOrder job = create("hvac.maintenance");
    assertEquals(JobStatus.NEW, unassign(job.id()).status());
    assertFalse(fixedFlag(job.id()));
    assertEquals(List.of(), plugin.asked);
    assertEquals(1, assign(job.id(), tina).checklists().size());
  }

  // --- answers ---

  @Test
  public void answersAreStoredAndTheNewestCounts() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK, SAFETY), "com.example.hvac", 0);
    WorkOrder job = dispatched();
    long version = job.version();
    long changes = changeRows(job.id());

    JobChecklist c = answer(job.id(), "hvac-check", "filter-ok", false);
    Instant firstAt = clock.instant();
    assertEquals(HVAC_CHECK, c.template());
    assertEquals("com.example.hvac", c.provider());
    assertEquals(List.of(new ChecklistAnswer("filter-ok", false, firstAt, "tina")), c.answers());
    assertEquals(List.of("pressure"), c.missing());
    WorkOrder after = jobs.get(job.id());
    assertEquals(version + 1, after.version());
    assertEquals(changes + 1, changeRows(job.id()));
    assertEquals(firstAt, after.updatedAt());
    AuditEntry entry = audit(job.id()).get(0);
    assertEquals("checklist", entry.action());
    assertEquals("tina", entry.actor());
    assertEquals(version + 1, entry.version());
    assertEquals("checklists.hvac-check.filter-ok", entry.field());
    assertEquals("false", entry.newValue());

    c = answer(job.id(), "hvac-check", "filter-ok", true); // changed their mind: the newest counts
    Instant secondAt = clock.instant();
    assertEquals(List.of(new ChecklistAnswer("filter-ok", true, secondAt, "tina")), c.answers());
    assertEquals(version + 2, jobs.get(job.id()).version());
    assertEquals(changes + 2, changeRows(job.id()));
    assertEquals("every answer is kept", 2, answerRows(job.id()));

    c = answer(job.id(), "hvac-check", "pressure", new BigDecimal("120.50"));
    assertEquals(List.of(), c.missing());
    assertEquals(2, c.answers().size());
    assertEquals(new BigDecimal("120.50"), c.answers().get(1).value());
    c = answer(job.id(), "hvac-check", "notes", "replaced the belt");
    assertEquals("replaced the belt", c.answers().get(2).value());

    WorkOrder read = jobs.get(job.id());
    assertEquals(version + 4, read.version());
    assertEquals(List.of(), checklist(read, "hvac-check").missing());
    assertEquals(List.of("risk", "photo"), checklist(read, "safety").missing());
    assertEquals(List.of(), checklist(read, "safety").answers());
    assertEquals(4, audit(job.id()).stream().filter(a -> "checklist".equals(a.action())).count());
  }

  @Test
  public void everyAnswerBumpsTheVersionEvenAtTheSameInstant() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK), "com.example.hvac", 0);
    WorkOrder job = dispatched();
    long changes = changeRows(job.id());
    jobs.answerChecklist(job.id(), "hvac-check", "filter-ok", true, TINA);
    jobs.answerChecklist(
        job.id(), "hvac-check", "filter-ok", true, TINA); // same answer, same instant, same caller
    assertEquals(job.version() + 2, jobs.get(job.id()).version());
    assertEquals(changes + 2, changeRows(job.id()));
    assertEquals(2, answerRows(job.id()));
  }

  @Test
  public void answersReadBackInTheirApiShapes() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK, SAFETY), "com.example.hvac", 0);
    WorkOrder job = dispatched();
    answer(job.id(), "hvac-check", "pressure", 120); // an integer is a decimal number
    answer(job.id(), "safety", "photo", Map.of("sha256", SHA));
    WorkOrder read = jobs.get(job.id());
    assertEquals(new BigDecimal("120"), checklist(read, "hvac-check").answers().get(0).value());
    assertEquals(Map.of("sha256", SHA), checklist(read, "safety").answers().get(0).value());
  }

  @Test
  public void theLongestTextAnswerIsStored() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK), "com.example.hvac", 0);
    WorkOrder job = dispatched();
    String longest = "\"quoted\"\n" + "x".repeat(10_000 - 9);
    assertEquals(10_000, longest.length());
    JobChecklist c = answer(job.id(), "hvac-check", "notes", longest);
    assertEquals(longest, c.answers().get(0).value());
  }

  @Test
  public void unknownJobTemplateOrItemIsNotFound() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK), "com.example.hvac", 0);
    WorkOrder job = dispatched();
    assertThrows(
        NotFoundException.class,
        () -> jobs.answerChecklist("no-such-job", "hvac-check", "filter-ok", true, TINA));
    assertThrows(
        NotFoundException.class,
        () -> jobs.answerChecklist(job.id(), "no-such-template", "filter-ok", true, TINA));
    assertThrows(
        NotFoundException.class,
        () -> jobs.answerChecklist(job.id(), null, "filter-ok", true, TINA));
    assertThrows(
        NotFoundException.class,
        () -> jobs.answerChecklist(job.id(), "hvac-check", "no-such-item", true, TINA));
    assertThrows(
        NotFoundException.class,
        () -> jobs.answerChecklist(job.id(), "hvac-check", null, true, TINA));
    // a job never dispatched has no checklists to answer
    WorkOrder fresh = create("hvac.maintenance");
    assertThrows(
        NotFoundException.class,
        () -> jobs.answerChecklist(fresh.id(), "hvac-check", "filter-ok", true, TINA));
    assertEquals(job.version(), jobs.get(job.id()).version());
    assertEquals(0, answerRows(job.id()));
  }

  @Test
  public void anAnswerOfTheWrongShapeIsRefusedOnAnswer() {
    TestProvider plugin = new TestProvider("hvac.", HVAC_CHECK, SAFETY);
    registry.add(plugin, "com.example.hvac", 0);
    WorkOrder job = dispatched();
    long changes = changeRows(job.id());
    invalid(() -> jobs.answerChecklist(job.id(), "hvac-check", "filter-ok", "yes", TINA), "answer");
    ValidationException range =
        invalid(
            () -> jobs.answerChecklist(job.id(), "hvac-check", "pressure", 301, TINA), "answer");
    assertTrue(range.getMessage(), range.getMessage().contains("psi"));
    invalid(() -> jobs.answerChecklist(job.id(), "hvac-check", "notes", " ", TINA), "answer");
    invalid(() -> jobs.answerChecklist(job.id(), "safety", "risk", "medium", TINA), "answer");
    invalid(
        () -> jobs.answerChecklist(job.id(), "safety", "photo", Map.of("sha256", "nothex"), TINA),
        "answer");
    assertEquals("the provider is not asked about ill-typed answers", List.of(), plugin.validated);
    assertEquals(job.version(), jobs.get(job.id()).version());
    assertEquals(changes, changeRows(job.id()));
    assertEquals(0, answerRows(job.id()));
  }

  @Test
  public void theContributingProviderMayRefuseAnAnswer() {
    TestProvider plugin = new TestProvider("hvac.", HVAC_CHECK);
    TestProvider bystander = new TestProvider("", SAFETY);
    registry.add(plugin, "com.example.hvac", 0);
    registry.add(bystander, "com.example.safety", 0);
    WorkOrder job = dispatched();
    plugin.refuse = "pressure readings under 100 psi need a second reading";

    ValidationException e =
        invalid(() -> jobs.answerChecklist(job.id(), "hvac-check", "pressure", 42, TINA), "answer");
    assertEquals(
        "pressure readings under 100 psi need a second reading", e.errors().get(0).message());
    assertEquals(
        "validated with the canonical (decimal) answer",
        List.of("hvac-check/pressure=42 (BigDecimal)"),
        plugin.validated);
    assertEquals(List.of(), bystander.validated);
    assertEquals(job.version(), jobs.get(job.id()).version());
    assertEquals(0, answerRows(job.id()));

    plugin.refuse = null;
    assertEquals(List.of("filter-ok"), answer(job.id(), "hvac-check", "pressure", 42).missing());
    answer(job.id(), "safety", "photo", Map.of("sha256", SHA));
    assertEquals(
        "the photo is validated as its SHA-256 text",
        List.of("safety/photo=" + SHA + " (String)"),
        bystander.validated);
  }

  @Test
  public void aThrowingValidateCountsAsAccepted() {
    registry.add(
        new ChecklistProvider() {
          @Override
          public List<ChecklistTemplate> templatesFor(ChecklistContext context) {
            return List.of(HVAC_CHECK);
          }

          @Override
          public Optional<String> validate(
              ChecklistTemplate template, ChecklistItem item, Object answer) {
            throw new IllegalStateException("plugin bug");
          }
        },
        "com.example.broken",
        0);
    WorkOrder job = dispatched();
    assertEquals(List.of("pressure"), answer(job.id(), "hvac-check", "filter-ok", true).missing());
  }

  // --- technician moves and completion ---

  @Test
  public void theAssignedTechnicianCompletesOnlyWhenEveryRequiredItemIsAnswered() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK, SAFETY), "com.example.hvac", 0);
    WorkOrder job = dispatched();

    clock.advance(Duration.ofMinutes(5));
    WorkOrder onSite = jobs.moveByTechnician(job.id(), JobStatus.ON_SITE, TINA);
    assertEquals(JobStatus.ON_SITE, onSite.status());
    assertEquals(job.version() + 1, onSite.version());
    assertEquals("status", onSite.audit().get(0).action());
    assertEquals("tina", onSite.audit().get(0).actor());

    ChecklistIncompleteException e =
        assertThrows(
            ChecklistIncompleteException.class,
            () -> jobs.moveByTechnician(job.id(), JobStatus.COMPLETED, TINA));
    assertEquals(
        List.of("hvac-check/filter-ok", "hvac-check/pressure", "safety/risk", "safety/photo"),
        e.missing());
    assertTrue(e.getMessage(), e.getMessage().contains("safety/photo"));
    assertEquals(onSite.version(), jobs.get(job.id()).version());
    assertEquals(JobStatus.ON_SITE, jobs.get(job.id()).status());

    answer(job.id(), "hvac-check", "filter-ok", true);
    answer(job.id(), "hvac-check", "pressure", 120);
    answer(job.id(), "safety", "risk", "low");
    e =
        assertThrows(
            ChecklistIncompleteException.class,
            () -> jobs.moveByTechnician(job.id(), JobStatus.COMPLETED, TINA));
    assertEquals(List.of("safety/photo"), e.missing());

    answer(
        job.id(),
        "safety",
        "photo",
        Map.of("sha256", SHA)); // "notes" is optional and stays unanswered
    WorkOrder done = jobs.moveByTechnician(job.id(), JobStatus.COMPLETED, TINA);
    assertEquals(JobStatus.COMPLETED, done.status());
    assertEquals(JobStatus.COMPLETED, jobs.get(job.id()).status());
  }

  @Test
  public void completingFromPausedChecksTheChecklistsToo() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK, SAFETY), "com.example.hvac", 0);
    WorkOrder job = dispatched();
    jobs.moveByTechnician(job.id(), JobStatus.ON_SITE, TINA);
    jobs.moveByTechnician(job.id(), JobStatus.PAUSED, TINA);
    assertEquals(
        4,
        assertThrows(
                ChecklistIncompleteException.class,
                () -> jobs.moveByTechnician(job.id(), JobStatus.COMPLETED, TINA))
            .missing()
            .size());
    answerEverythingRequired(job.id());
    assertEquals(
        JobStatus.COMPLETED, jobs.moveByTechnician(job.id(), JobStatus.COMPLETED, TINA).status());
  }

  @Test
  public void aTechnicianNotAssignedToTheJobDoesNotFindIt() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK), "com.example.hvac", 0);
    WorkOrder job = dispatched();
    assertThrows(
        NotFoundException.class, () -> jobs.moveByTechnician(job.id(), JobStatus.ON_SITE, TOM));
    assertThrows(
        NotFoundException.class,
        () ->
            jobs.moveByTechnician(
                job.id(), JobStatus.ON_SITE, new Caller("nobody", Set.of(Role.TECHNICIAN))));
    assertThrows(
        NotFoundException.class,
        () -> jobs.moveByTechnician("no-such-job", JobStatus.ON_SITE, TINA));
    assertEquals(job.version(), jobs.get(job.id()).version());

    // re-assigned to Tom: now Tina is the stranger
    WorkOrder toTom = assign(job.id(), tom);
    assertThrows(
        NotFoundException.class, () -> jobs.moveByTechnician(job.id(), JobStatus.ON_SITE, TINA));
    assertEquals(
        JobStatus.ON_SITE, jobs.moveByTechnician(job.id(), JobStatus.ON_SITE, TOM).status());
    assertEquals(toTom.version() + 1, jobs.get(job.id()).version());
  }

  @Test
  public void anIllegalTechnicianMoveNamesTheAllowedOnes() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK), "com.example.hvac", 0);
    WorkOrder job = dispatched();
    StateConflictException e =
        assertThrows(
            StateConflictException.class,
            () -> jobs.moveByTechnician(job.id(), JobStatus.COMPLETED, TINA));
    assertFalse(
        "a status-machine refusal, not a checklist one", e instanceof ChecklistIncompleteException);
    assertEquals(new TreeSet<>(List.of("EN_ROUTE", "ON_SITE")), new TreeSet<>(e.allowed()));
    assertTrue(
        e.getMessage(), e.getMessage().contains("EN_ROUTE") && e.getMessage().contains("ON_SITE"));
    // office moves are not the technician's
    assertThrows(
        StateConflictException.class,
        () -> jobs.moveByTechnician(job.id(), JobStatus.CANCELLED, TINA));
    invalid(() -> jobs.moveByTechnician(job.id(), null, TINA), "to");
    assertEquals(JobStatus.DISPATCHED, jobs.get(job.id()).status());
    assertEquals(job.version(), jobs.get(job.id()).version());
  }

  @Test
  public void aReopenedJobKeepsItsChecklistsAndAnswers() {
    registry.add(new TestProvider("hvac.", HVAC_CHECK, SAFETY), "com.example.hvac", 0);
    WorkOrder job = dispatched();
    jobs.moveByTechnician(job.id(), JobStatus.ON_SITE, TINA);
    answerEverythingRequired(job.id());
    jobs.moveByTechnician(job.id(), JobStatus.COMPLETED, TINA);
    List<JobChecklist> before = jobs.get(job.id()).checklists();
    registry.add(new TestProvider("", LATE), "com.example.late", 100);

    WorkOrder reopened =
        jobs.transition(job.id(), null, JobStatus.DISPATCHED, "customer called back", DISPATCHER);
    assertEquals(before, reopened.checklists());
    jobs.moveByTechnician(job.id(), JobStatus.ON_SITE, TINA);
    assertEquals(
        JobStatus.COMPLETED, jobs.moveByTechnician(job.id(), JobStatus.COMPLETED, TINA).status());
  }
}
