package org.fieldops.sync.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.FieldError;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.Priority;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.pricebook.FlatRateTaskDraft;
import org.fieldops.api.pricebook.LaborRateDraft;
import org.fieldops.api.pricebook.PartDraft;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.sync.EventBatch;
import org.fieldops.api.sync.EventResult;
import org.fieldops.api.sync.FieldEvent;
import org.fieldops.api.sync.Outcome;
import org.fieldops.jobs.internal.ChecklistRegistry;
import org.fieldops.jobs.internal.CustomerServiceImpl;
import org.fieldops.jobs.internal.PriceBookServiceImpl;
import org.fieldops.jobs.internal.SiteServiceImpl;
import org.fieldops.jobs.internal.TechnicianServiceImpl;
import org.fieldops.jobs.internal.WorkOrderServiceImpl;
import org.fieldops.store.DeviceEntity;
import org.fieldops.store.DeviceEventEntity;
import org.fieldops.store.UserAccountEntity;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/**
 * Exactly-once ingest of technicians' events on the real store (in-memory Derby) and the real jobs
 * service: outcomes, duplicates, order, poison events, assignment, devices, and concurrent uploads
 * of the same batch.
 */
public class SyncServiceImplTest {
  static final Caller DISPATCHER = new Caller("dora", Set.of(Role.DISPATCHER));
  static final Caller FINANCE = new Caller("fin", Set.of(Role.FINANCE));
  static final Caller ANNA = new Caller("anna", Set.of(Role.TECHNICIAN));
  static final Caller BEN = new Caller("ben", Set.of(Role.TECHNICIAN));

  /** Thursday 26 November 2026, 14:00 to 22:00 UTC; the slot 15:00 to 17:00. */
  static final Instant WINDOW_START = Instant.parse("2026-11-26T14:00:00Z");

  static final Instant WINDOW_END = Instant.parse("2026-11-26T22:00:00Z");
  static final Instant SLOT_START = Instant.parse("2026-11-26T15:00:00Z");
  static final Instant SLOT_END = Instant.parse("2026-11-26T17:00:00Z");

  @Rule public final TestDatabase db = new TestDatabase();
  @Rule public final org.junit.rules.TemporaryFolder media = new org.junit.rules.TemporaryFolder();

  private WorkOrderServiceImpl jobs;
  private SyncServiceImpl sync;
  private final ChecklistRegistry checklists = new ChecklistRegistry();
  private String customer;
  private String site;
  private String annaTech;
  private String benTech;

  @Before
  public void setUp() {
    Instant now = Instant.now();
    db.inTransaction(
        em -> {
          for (String name : List.of("anna", "ben")) {
            UserAccountEntity u = new UserAccountEntity();
            u.username = name;
            u.passwordHash = "x";
            u.roles = "technician";
            u.disabled = false;
            u.createdAt = now;
            u.updatedAt = now;
            u.updatedBy = "test";
            em.persist(u);
          }
          return null;
        });
    TechnicianServiceImpl technicians = new TechnicianServiceImpl(db);
    annaTech =
        technicians
            .create(new TechnicianDraft("Anna", "anna", List.of("hvac"), null), DISPATCHER)
            .id();
    benTech =
        technicians
            .create(new TechnicianDraft("Ben", "ben", List.of("hvac"), null), DISPATCHER)
            .id();
    customer =
        new CustomerServiceImpl(db)
            .create(
                new CustomerDraft("Acme", null, null, new BigDecimal("0.08"), "USD"), DISPATCHER)
            .id();
    site =
        new SiteServiceImpl(db)
            .create(new SiteDraft(customer, "1 Main St", null, null, "roof hatch 1234"), DISPATCHER)
            .id();
    PriceBookServiceImpl prices = new PriceBookServiceImpl(db);
    prices.createLaborRate(
        new LaborRateDraft("STD", "Standard hour", new BigDecimal("90.00"), "USD", null), FINANCE);
    prices.createPart(
        new PartDraft("FILTER-20", "Filter 20x20", new BigDecimal("12.50"), "USD", null), FINANCE);
    prices.createFlatRateTask(
        new FlatRateTaskDraft(
            "PM-VISIT", "Maintenance visit", new BigDecimal("45.00"), "USD", null),
        FINANCE);
    WorkOrderServiceImpl.Config config =
        new WorkOrderServiceImpl.Config() {
          @Override
          public String timezone() {
            return "UTC";
          }

          @Override
          public Class<? extends Annotation> annotationType() {
            return WorkOrderServiceImpl.Config.class;
          }
        };
    jobs = new WorkOrderServiceImpl(db, prices, checklists, config);
    sync =
        new SyncServiceImpl(
            db, jobs, SyncFixture.media(db, media.getRoot().toPath()), SyncFixture.policies());
  }

  // ---------------------------------------------------------------- checklist photo answers

  /**
   * A photo answer names a photo by its hash: until the photo is on the server the answer is
   * rejected as MEDIA_MISSING (retryable) and nothing is stored; once uploaded, the same answer
   * under a new opId is applied and the job keeps the photo.
   */
  @Test
  public void aChecklistPhotoAnswerWaitsForItsPhoto() throws Exception {
    org.fieldops.jobs.internal.ChecklistsForSyncTests.add(
        checklists,
        context ->
            List.of(
                new org.fieldops.spi.checklist.ChecklistTemplate(
                    "nameplate",
                    1,
                    "Nameplate",
                    List.of(
                        new org.fieldops.spi.checklist.ChecklistItem(
                            "photo",
                            "Nameplate photo",
                            org.fieldops.spi.checklist.ItemType.PHOTO,
                            true,
                            null,
                            null,
                            null,
                            null)))),
        "com.example.nameplate");
    String job = jobFor(annaTech);
    byte[] png = ConflictsAndReviewsTest.png();
    String sha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(png));
    Map<String, Object> answer =
        Map.of("templateId", "nameplate", "itemId", "photo", "answer", Map.of("sha256", sha));
    long before = jobs.get(job).version();

    EventResult missing =
        upload("phone-1", ANNA, List.of(event(1, job, "checklist", answer))).get(0);
    assertEquals(Outcome.REJECTED, missing.outcome());
    assertEquals("MEDIA_MISSING", missing.reason());
    assertTrue(missing.retryable());
    assertEquals("nothing stored", before, jobs.get(job).version());
    assertTrue(jobs.get(job).checklists().get(0).answers().isEmpty());

    SyncFixture.media(db, media.getRoot().toPath())
        .store(sha, "image/png", new java.io.ByteArrayInputStream(png), ANNA);
    EventResult applied =
        upload("phone-1", ANNA, List.of(event(2, job, "checklist", answer))).get(0);
    assertEquals(applied.toString(), Outcome.APPLIED, applied.outcome());
    WorkOrder after = jobs.get(job);
    assertEquals(1, after.checklists().get(0).answers().size());
    assertTrue(
        after.media().toString(), after.media().stream().anyMatch(m -> sha.equals(m.sha256())));
  }

  // ---------------------------------------------------------------- the happy path and resending

  @Test
  public void aWholeVisitIsAppliedInOneBatchWithIncreasingVersions() {
    String job = jobFor(annaTech);
    long v0 = jobs.get(job).version();
    List<FieldEvent> visit = visit(job, 1);

    List<EventResult> results = upload("phone-1", ANNA, visit);

    assertEquals(visit.size(), results.size());
    long previous = v0;
    for (int i = 0; i < results.size(); i++) {
      EventResult r = results.get(i);
      assertEquals(visit.get(i).opId(), r.opId());
      assertEquals(r.toString(), Outcome.APPLIED, r.outcome());
      assertNull(r.reason());
      assertFalse(r.retryable());
      assertNull(r.firstOutcome());
      assertNotNull(r.jobVersion());
      assertEquals("each effect bumps the version by one", previous + 1, (long) r.jobVersion());
      previous = r.jobVersion();
    }
    WorkOrder done = jobs.get(job);
    assertEquals(JobStatus.COMPLETED, done.status());
    assertEquals(previous, done.version());
    assertEquals(v0 + visit.size(), done.version());

    assertEquals(1, done.labor().size());
    JobLine labor = done.labor().get(0);
    assertEquals("STD", labor.code());
    assertEquals(0, new BigDecimal("1.5").compareTo(labor.quantity()));
    assertEquals(0, new BigDecimal("90.00").compareTo(labor.unitPrice()));
    assertEquals(Instant.parse("2026-11-26T15:10:00Z"), labor.startedAt());
    assertEquals("FIELD", labor.source());
    assertEquals(annaTech, labor.technicianId());
    assertEquals("anna", labor.createdBy());

    assertEquals(1, done.parts().size());
    JobLine part = done.parts().get(0);
    assertEquals("FILTER-20", part.code());
    assertEquals(0, new BigDecimal("2").compareTo(part.quantity()));
    assertEquals(0, new BigDecimal("25.00").compareTo(part.amount()));
    assertEquals("FIELD", part.source());

    assertEquals(1, done.notes().size());
    assertEquals("replaced the filter, unit cooling again", done.notes().get(0).text());
    assertEquals("FIELD", done.notes().get(0).source());
    assertTrue(done.flatRateTasks().isEmpty());

    // durable: every outcome is stored under (deviceId, opId), with the version after it
    for (int i = 0; i < visit.size(); i++) {
      DeviceEventEntity row = stored("phone-1", visit.get(i).opId());
      assertNotNull(row);
      assertEquals("APPLIED", row.outcome);
      assertEquals(results.get(i).jobVersion(), row.jobVersion);
      assertEquals((long) visit.get(i).seq(), row.seq);
      assertEquals("anna", row.username);
    }
    assertEquals(visit.size(), storedEvents());
  }

  @Test
  public void theSameBatchAgainIsDuplicateAndNothingIsAppliedTwice() {
    String job = jobFor(annaTech);
    List<FieldEvent> visit = visit(job, 1);
    List<EventResult> first = upload("phone-1", ANNA, visit);
    WorkOrder after = jobs.get(job);

    for (int round = 0; round < 3; round++) {
      List<EventResult> again = upload("phone-1", ANNA, visit);
      assertEquals(visit.size(), again.size());
      for (int i = 0; i < visit.size(); i++) {
        EventResult r = again.get(i);
        assertEquals(visit.get(i).opId(), r.opId());
        assertEquals(r.toString(), Outcome.DUPLICATE, r.outcome());
        assertEquals(Outcome.APPLIED, r.firstOutcome());
        assertEquals(first.get(i).jobVersion(), r.jobVersion());
        assertNull(r.reason());
        assertFalse(r.retryable());
      }
    }
    // a retried part of the batch, in another order, is just as harmless
    List<FieldEvent> part = new ArrayList<>(visit.subList(2, 5));
    Collections.reverse(part);
    for (EventResult r : upload("phone-1", ANNA, part)) {
      assertEquals(Outcome.DUPLICATE, r.outcome());
      assertEquals(Outcome.APPLIED, r.firstOutcome());
    }

    WorkOrder now = jobs.get(job);
    assertEquals(after.version(), now.version());
    assertEquals(JobStatus.COMPLETED, now.status());
    assertEquals(1, now.labor().size());
    assertEquals(1, now.parts().size());
    assertEquals(1, now.notes().size());
    assertEquals(after.audit().size(), now.audit().size());
    assertEquals(visit.size(), storedEvents());
  }

  @Test
  public void theSameOpIdWithAnotherPayloadIsRejectedAsReused() {
    String job = jobFor(annaTech);
    long v0 = jobs.get(job).version();
    FieldEvent note = event(1, job, "note", Map.of("text", "first words"));
    EventResult applied = upload("phone-1", ANNA, List.of(note)).get(0);
    assertEquals(Outcome.APPLIED, applied.outcome());

    List<FieldEvent> reuses =
        List.of(
            withData(note, Map.of("text", "other words")),
            new FieldEvent(
                note.opId(),
                note.seq(),
                job,
                "part",
                note.occurredAt(),
                note.baseVersion(),
                Map.of("sku", "FILTER-20", "quantity", 1)),
            new FieldEvent(
                note.opId(),
                note.seq() + 1,
                note.jobId(),
                note.type(),
                note.occurredAt(),
                note.baseVersion(),
                note.data()));
    for (FieldEvent reuse : reuses) {
      EventResult r = upload("phone-1", ANNA, List.of(reuse)).get(0);
      assertEquals(r.toString(), Outcome.REJECTED, r.outcome());
      assertEquals("OPID_REUSED", r.reason());
      assertEquals(note.opId(), r.opId());
      assertNotEquals(Outcome.APPLIED, r.firstOutcome());
    }
    WorkOrder now = jobs.get(job);
    assertEquals(v0 + 1, now.version());
    assertEquals(1, now.notes().size());
    assertEquals("first words", now.notes().get(0).text());
    assertTrue(now.parts().isEmpty());
    // the first processing is still what the opId stands for
    EventResult dup = upload("phone-1", ANNA, List.of(note)).get(0);
    assertEquals(Outcome.DUPLICATE, dup.outcome());
    assertEquals(Outcome.APPLIED, dup.firstOutcome());
    assertEquals(applied.jobVersion(), dup.jobVersion());
    assertEquals("APPLIED", stored("phone-1", note.opId()).outcome);
    assertEquals(1, storedEvents());
  }

  @Test
  public void eventsApplyInSeqOrderAndResultsComeInRequestOrder() {
    String job = jobFor(annaTech);
    long v0 = jobs.get(job).version();
    // a device counter far from zero, with a gap
    List<FieldEvent> visit = visit(job, 1_000);
    List<FieldEvent> shuffled = new ArrayList<>(visit);
    shuffled.set(0, visit.get(5)); // COMPLETED first
    shuffled.set(1, visit.get(4));
    shuffled.set(2, visit.get(1)); // ON_SITE
    shuffled.set(3, visit.get(0)); // EN_ROUTE
    shuffled.set(4, visit.get(3));
    shuffled.set(5, visit.get(2));
    List<FieldEvent> gapped = new ArrayList<>();
    for (FieldEvent e : shuffled) {
      gapped.add(withSeq(e, e.seq() >= 1_003 ? e.seq() + 40 : e.seq()));
    }

    List<EventResult> results = upload("phone-1", ANNA, gapped);

    Map<Long, Long> versionBySeq = new java.util.TreeMap<>();
    for (int i = 0; i < gapped.size(); i++) {
      EventResult r = results.get(i);
      assertEquals("results in request order", gapped.get(i).opId(), r.opId());
      assertEquals(r.toString(), Outcome.APPLIED, r.outcome());
      versionBySeq.put(gapped.get(i).seq(), r.jobVersion());
    }
    long expected = v0;
    for (long version : versionBySeq.values()) {
      assertEquals("applied in seq order: " + versionBySeq, expected + 1, version);
      expected = version;
    }
    WorkOrder done = jobs.get(job);
    assertEquals(JobStatus.COMPLETED, done.status());
    assertEquals(v0 + 6, done.version());
    List<String> moves = statusMoves(job);
    assertEquals(List.of("EN_ROUTE", "ON_SITE", "COMPLETED"), moves.subList(1, moves.size()));
  }

  // ---------------------------------------------------------------- poison events

  /** One bad event of a batch: the others are applied, its refusal is stored and repeated. */
  @Test
  public void aPoisonEventIsRejectedDurablyWhileTheOthersApply() {
    Map<String, Object> noTo = new HashMap<>();
    noTo.put("to", null);
    Map<String, Object> laborBadTimes =
        Map.of(
            "startedAt",
            "2026-11-26T16:00:00Z",
            "endedAt",
            "2026-11-26T15:00:00Z",
            "rateCode",
            "STD");
    List<Poison> poisons =
        List.of(
            new Poison("teleport", Map.of("to", "mars"), "UNKNOWN_TYPE"),
            new Poison(null, Map.of("text", "no type"), "UNKNOWN_TYPE"),
            new Poison("status", Map.of("to", "FLYING"), "INVALID_DATA"),
            new Poison("status", Map.of(), "INVALID_DATA"),
            new Poison("status", noTo, "INVALID_DATA"),
            new Poison("status", Map.of("to", 7), "INVALID_DATA"),
            new Poison("part", Map.of("sku", "FILTER-20", "quantity", "many"), "INVALID_DATA"),
            new Poison("part", Map.of("sku", "FILTER-20", "quantity", -1), "INVALID_DATA"),
            new Poison("part", Map.of("sku", List.of("FILTER-20"), "quantity", 1), "INVALID_DATA"),
            new Poison(
                "labor",
                Map.of(
                    "startedAt", "yesterday", "endedAt", "2026-11-26T16:00:00Z", "rateCode", "STD"),
                "INVALID_DATA"),
            new Poison("labor", laborBadTimes, "INVALID_DATA"),
            new Poison("note", Map.of(), "INVALID_DATA"),
            new Poison("note", Map.of("text", "x".repeat(10_001)), "INVALID_DATA"),
            new Poison("part", Map.of("sku", "NO-SUCH-SKU", "quantity", 1), "UNKNOWN_CODE"),
            new Poison(
                "labor",
                Map.of(
                    "startedAt", "2026-11-26T15:00:00Z",
                    "endedAt", "2026-11-26T16:00:00Z",
                    "rateCode", "NIGHT"),
                "UNKNOWN_CODE"),
            new Poison("flatRate", Map.of("code", "NO-SUCH-TASK", "quantity", 1), "UNKNOWN_CODE"),
            // EN_ROUTE -> COMPLETED skips ON_SITE; INVOICED is the system's, CANCELLED the office's
            new Poison("status", Map.of("to", "COMPLETED"), "ILLEGAL_TRANSITION"),
            new Poison("status", Map.of("to", "INVOICED"), "ILLEGAL_TRANSITION"),
            new Poison("status", Map.of("to", "CANCELLED"), "ILLEGAL_TRANSITION"),
            new Poison("status", Map.of("to", "EN_ROUTE"), "ILLEGAL_TRANSITION"));

    int device = 0;
    for (Poison p : poisons) {
      String label = p.type() + " " + abbreviate(p.data());
      String job = jobFor(annaTech);
      long v0 = jobs.get(job).version();
      FieldEvent poison = event(2, job, p.type(), p.data());
      List<FieldEvent> batch =
          List.of(
              event(1, job, "status", Map.of("to", "EN_ROUTE")),
              poison,
              event(3, job, "part", Map.of("sku", "FILTER-20", "quantity", 1)),
              event(4, job, "status", Map.of("to", "ON_SITE")),
              event(5, job, "note", Map.of("text", "all good")));
      String phone = "phone-" + device++;

      List<EventResult> results = upload(phone, ANNA, batch);

      EventResult rejected = results.get(1);
      assertEquals(label + ": " + rejected, Outcome.REJECTED, rejected.outcome());
      assertEquals(label + ": " + rejected, p.reason(), rejected.reason());
      assertFalse(label, rejected.retryable());
      assertNull(label, rejected.jobVersion());
      assertNotNull(label, rejected.message());
      for (int i : new int[] {0, 2, 3, 4}) {
        assertEquals(label + ": " + results.get(i), Outcome.APPLIED, results.get(i).outcome());
      }
      WorkOrder now = jobs.get(job);
      assertEquals(label, JobStatus.ON_SITE, now.status());
      assertEquals(label, v0 + 4, now.version());
      assertEquals(label, 1, now.parts().size());
      assertEquals(label, 1, now.notes().size());
      assertTrue(label, now.labor().isEmpty() && now.flatRateTasks().isEmpty());

      // durable: stored as REJECTED, and a resend repeats the first outcome and its reason
      DeviceEventEntity row = stored(phone, poison.opId());
      assertEquals(label, "REJECTED", row.outcome);
      assertEquals(label, p.reason(), row.reason);
      List<EventResult> again = upload(phone, ANNA, batch);
      EventResult dup = again.get(1);
      assertEquals(label + ": " + dup, Outcome.DUPLICATE, dup.outcome());
      assertEquals(label, Outcome.REJECTED, dup.firstOutcome());
      assertEquals(label, p.reason(), dup.reason());
      assertFalse(label, dup.retryable());
      assertNull(label, dup.jobVersion());
      for (int i : new int[] {0, 2, 3, 4}) {
        assertEquals(label, Outcome.DUPLICATE, again.get(i).outcome());
        assertEquals(label, Outcome.APPLIED, again.get(i).firstOutcome());
        assertEquals(label, results.get(i).jobVersion(), again.get(i).jobVersion());
      }
      assertEquals(label, v0 + 4, jobs.get(job).version());

      // nor does it block later batches
      EventResult later =
          upload(phone, ANNA, List.of(event(6, job, "status", Map.of("to", "COMPLETED")))).get(0);
      assertEquals(label + ": " + later, Outcome.APPLIED, later.outcome());
      assertEquals(label, JobStatus.COMPLETED, jobs.get(job).status());
    }
  }

  @Test
  public void aJobNeverAssignedToTheCallerIsNotAssignedAndUnchanged() {
    String bens = jobFor(benTech);
    String unassigned =
        jobs.create(draft("nobody's yet"), DISPATCHER).id(); // NEW, never assigned to anyone
    String annas = jobFor(annaTech);
    long bensV = jobs.get(bens).version();
    long unassignedV = jobs.get(unassigned).version();
    long annasV = jobs.get(annas).version();

    List<FieldEvent> batch = new ArrayList<>();
    long seq = 1;
    for (String job : List.of(bens, unassigned, "no-such-job")) {
      batch.add(event(seq++, job, "status", Map.of("to", "EN_ROUTE")));
      batch.add(event(seq++, job, "part", Map.of("sku", "FILTER-20", "quantity", 1)));
      batch.add(
          event(
              seq++,
              job,
              "labor",
              Map.of(
                  "startedAt", "2026-11-26T15:00:00Z",
                  "endedAt", "2026-11-26T16:00:00Z",
                  "rateCode", "STD")));
      batch.add(event(seq++, job, "note", Map.of("text", "was here")));
      batch.add(event(seq++, job, "flatRate", Map.of("code", "PM-VISIT", "quantity", 1)));
    }
    batch.add(event(seq++, annas, "status", Map.of("to", "EN_ROUTE")));

    List<EventResult> results = upload("phone-1", ANNA, batch);

    EventResult unknownJob = results.get(10);
    for (int i = 0; i < 15; i++) {
      EventResult r = results.get(i);
      assertEquals(r.toString(), Outcome.REJECTED, r.outcome());
      assertEquals(r.toString(), "NOT_ASSIGNED", r.reason());
      assertFalse(r.retryable());
      assertNull(r.jobVersion());
      // same answer as for an unknown job: nothing tells another technician's job apart
      assertEquals(unknownJob.reason(), r.reason());
      assertEquals(unknownJob.retryable(), r.retryable());
      assertEquals(
          unknownJob.message().replace("no-such-job", "ID"),
          r.message().replace(batch.get(i).jobId(), "ID"));
    }
    assertEquals(Outcome.APPLIED, results.get(15).outcome());

    WorkOrder ben = jobs.get(bens);
    assertEquals(bensV, ben.version());
    assertEquals(JobStatus.DISPATCHED, ben.status());
    assertTrue(ben.parts().isEmpty() && ben.labor().isEmpty() && ben.notes().isEmpty());
    assertTrue(ben.flatRateTasks().isEmpty());
    WorkOrder nobody = jobs.get(unassigned);
    assertEquals(unassignedV, nobody.version());
    assertEquals(JobStatus.NEW, nobody.status());
    assertTrue(nobody.parts().isEmpty() && nobody.labor().isEmpty() && nobody.notes().isEmpty());
    assertEquals(annasV + 1, jobs.get(annas).version());

    for (EventResult r : upload("phone-1", ANNA, batch.subList(0, 15))) {
      assertEquals(Outcome.DUPLICATE, r.outcome());
      assertEquals(Outcome.REJECTED, r.firstOutcome());
      assertEquals("NOT_ASSIGNED", r.reason());
    }
    assertEquals(bensV, jobs.get(bens).version());
  }

  @Test
  public void onAJobReassignedAwayFactsStillApplyButAStatusMoveDoesNot() {
    String job = jobFor(annaTech);
    EventResult enRoute =
        upload("phone-1", ANNA, List.of(event(1, job, "status", Map.of("to", "EN_ROUTE")))).get(0);
    assertEquals(Outcome.APPLIED, enRoute.outcome());
    // the office gives the job to Ben while Anna's phone is offline
    jobs.assign(job, null, new Assignment(List.of(benTech), SLOT_START, SLOT_END), DISPATCHER);
    long before = jobs.get(job).version();

    List<FieldEvent> offline =
        List.of(
            event(2, job, "part", Map.of("sku", "FILTER-20", "quantity", 3)),
            event(3, job, "status", Map.of("to", "ON_SITE")),
            event(
                4,
                job,
                "labor",
                Map.of(
                    "startedAt", "2026-11-26T15:00:00Z",
                    "endedAt", "2026-11-26T15:45:00Z",
                    "rateCode", "STD")),
            event(5, job, "note", Map.of("text", "started before the hand-over")),
            event(6, job, "flatRate", Map.of("code", "PM-VISIT", "quantity", 1)));
    List<EventResult> results = upload("phone-1", ANNA, offline);

    for (int i : new int[] {0, 2, 3, 4}) {
      assertEquals(results.get(i).toString(), Outcome.APPLIED, results.get(i).outcome());
    }
    EventResult move = results.get(1);
    assertNotEquals(move.toString(), Outcome.APPLIED, move.outcome());
    assertTrue(
        move.toString(), move.outcome() == Outcome.REJECTED || move.outcome() == Outcome.REVIEW);
    WorkOrder now = jobs.get(job);
    assertEquals("the move did not happen", JobStatus.EN_ROUTE, now.status());
    assertEquals(List.of(benTech), now.assignment().technicianIds());
    assertEquals(before + 4, now.version());
    assertEquals(1, now.parts().size());
    assertEquals(annaTech, now.parts().get(0).technicianId());
    assertEquals(1, now.labor().size());
    assertEquals(1, now.notes().size());
    assertEquals(1, now.flatRateTasks().size());
    assertEquals(move.outcome().name(), stored("phone-1", move.opId()).outcome);

    // Ben, who has it now, moves it
    EventResult bens =
        upload("tablet-9", BEN, List.of(event(1, job, "status", Map.of("to", "ON_SITE")))).get(0);
    assertEquals(Outcome.APPLIED, bens.outcome());

    // and after the office cancels it, Anna's late facts are still kept, her moves are not
    String other = jobFor(annaTech);
    jobs.transition(other, null, JobStatus.CANCELLED, "customer cancelled", DISPATCHER);
    List<EventResult> late =
        upload(
            "phone-1",
            ANNA,
            List.of(
                event(7, other, "note", Map.of("text", "customer sent me away")),
                event(8, other, "status", Map.of("to", "EN_ROUTE"))));
    assertEquals(late.get(0).toString(), Outcome.APPLIED, late.get(0).outcome());
    assertNotEquals(late.get(1).toString(), Outcome.APPLIED, late.get(1).outcome());
    assertEquals(JobStatus.CANCELLED, jobs.get(other).status());
    assertEquals(1, jobs.get(other).notes().size());
  }

  // ---------------------------------------------------------------- the envelope and the device

  @Test
  public void aBrokenEnvelopeNamesTheFieldAndStoresNothing() {
    String job = jobFor(annaTech);
    long v0 = jobs.get(job).version();
    FieldEvent good = event(1, job, "note", Map.of("text", "fine"));
    FieldEvent noOpId = new FieldEvent(null, 2L, job, "note", Instant.now(), 1L, Map.of());
    FieldEvent blankOpId = new FieldEvent("  ", 2L, job, "note", Instant.now(), 1L, Map.of());
    FieldEvent longOpId = new FieldEvent("o".repeat(101), 2L, job, "note", null, 1L, Map.of());
    FieldEvent noSeq = new FieldEvent(uuid(), null, job, "note", Instant.now(), 1L, Map.of());
    FieldEvent negativeSeq = new FieldEvent(uuid(), -1L, job, "note", null, 1L, Map.of());
    FieldEvent noJob = new FieldEvent(uuid(), 3L, null, "note", Instant.now(), 1L, Map.of());
    FieldEvent blankJob = new FieldEvent(uuid(), 3L, "", "note", Instant.now(), 1L, Map.of());

    invalid(() -> ingest("phone-1", ANNA, List.of(good, noOpId)), "events[1].opId");
    invalid(() -> ingest("phone-1", ANNA, List.of(blankOpId, good)), "events[0].opId");
    invalid(() -> ingest("phone-1", ANNA, List.of(good, longOpId)), "events[1].opId");
    invalid(() -> ingest("phone-1", ANNA, List.of(good, noSeq)), "events[1].seq");
    invalid(() -> ingest("phone-1", ANNA, List.of(negativeSeq, good)), "events[0].seq");
    invalid(() -> ingest("phone-1", ANNA, List.of(good, noJob)), "events[1].jobId");
    invalid(() -> ingest("phone-1", ANNA, List.of(blankJob)), "events[0].jobId");
    invalid(
        () -> ingest("phone-1", ANNA, List.of(good, noOpId, noSeq, noJob)),
        "events[1].opId",
        "events[2].seq",
        "events[3].jobId");
    invalid(() -> ingest("phone-1", ANNA, List.of(good, good)), "events[1].opId");
    invalid(() -> ingest(null, ANNA, List.of(good)), "deviceId");
    invalid(() -> ingest("", ANNA, List.of(good)), "deviceId");
    invalid(() -> ingest("my phone", ANNA, List.of(good)), "deviceId");
    invalid(() -> ingest("p".repeat(101), ANNA, List.of(good)), "deviceId");
    invalid(() -> ingest(null, ANNA, List.of(good, noSeq)), "deviceId", "events[1].seq");
    invalid(() -> sync.ingest(new EventBatch("phone-1", null), ANNA), "events");
    List<FieldEvent> withNull = new ArrayList<>();
    withNull.add(good);
    withNull.add(null);
    invalid(() -> ingest("phone-1", ANNA, withNull), "events[1]");
    List<FieldEvent> tooMany = new ArrayList<>();
    for (int i = 0; i <= SyncServiceImpl.MAX_EVENTS; i++) {
      tooMany.add(event(i, job, "note", Map.of("text", "n" + i)));
    }
    invalid(() -> ingest("phone-1", ANNA, tooMany), "events");

    assertEquals(0, storedEvents());
    assertEquals(0, storedDevices());
    WorkOrder now = jobs.get(job);
    assertEquals(v0, now.version());
    assertTrue(now.notes().isEmpty());

    // the same device and events, well formed, work
    assertEquals(Outcome.APPLIED, upload("phone-1", ANNA, List.of(good)).get(0).outcome());
    List<EventResult> empty = upload("phone-1", ANNA, List.of());
    assertTrue(empty.isEmpty());
    List<EventResult> full = upload("phone-1", ANNA, tooMany.subList(1, tooMany.size()));
    assertEquals(SyncServiceImpl.MAX_EVENTS, full.size());
    assertTrue(full.stream().allMatch(r -> r.outcome() == Outcome.APPLIED));
  }

  @Test
  public void aDeviceBelongsToItsFirstTechnicianUntilReleased() {
    String annas = jobFor(annaTech);
    String bens = jobFor(benTech);
    assertEquals(
        Outcome.APPLIED,
        upload("phone-1", ANNA, List.of(event(1, annas, "status", Map.of("to", "EN_ROUTE"))))
            .get(0)
            .outcome());
    long bensV = jobs.get(bens).version();
    long stored = storedEvents();

    List<FieldEvent> bensBatch =
        List.of(
            event(1, bens, "status", Map.of("to", "EN_ROUTE")),
            event(2, bens, "note", Map.of("text", "borrowed phone")));
    assertThrows(AccessDeniedException.class, () -> ingest("phone-1", BEN, bensBatch));
    assertEquals(stored, storedEvents());
    assertEquals(bensV, jobs.get(bens).version());
    assertEquals("anna", device("phone-1").username);

    assertThrows(NotFoundException.class, () -> sync.releaseDevice("no-such-phone", DISPATCHER));
    sync.releaseDevice("phone-1", DISPATCHER);
    List<EventResult> results = upload("phone-1", BEN, bensBatch);
    assertEquals(Outcome.APPLIED, results.get(0).outcome());
    assertEquals(Outcome.APPLIED, results.get(1).outcome());
    assertEquals(JobStatus.EN_ROUTE, jobs.get(bens).status());
    assertEquals("ben", device("phone-1").username);
    // now it is Ben's: Anna is refused, and Anna's events are still on record
    assertThrows(
        AccessDeniedException.class,
        () -> ingest("phone-1", ANNA, List.of(event(2, annas, "note", Map.of("text", "mine")))));
    assertEquals(stored + 2, storedEvents());
    assertEquals(JobStatus.EN_ROUTE, jobs.get(annas).status());
  }

  /** The device's clock is data only: a day off either way changes no outcome. */
  @Test
  public void aDeviceClockADayOffChangesNoOutcome() {
    List<List<String>> outcomes = new ArrayList<>();
    List<Long> deltas = new ArrayList<>();
    List<Duration> shifts =
        List.of(Duration.ZERO, Duration.ofHours(24), Duration.ofHours(-24), Duration.ofDays(-400));
    int phone = 0;
    for (Duration shift : shifts) {
      for (boolean backwards : new boolean[] {false, true}) {
        String job = jobFor(annaTech);
        long v0 = jobs.get(job).version();
        List<FieldEvent> batch = new ArrayList<>();
        batch.addAll(visit(job, 1));
        batch.add(2, event(20, job, "part", Map.of("sku", "NOPE", "quantity", 1)));
        batch.add(event(21, job, "status", Map.of("to", "ON_SITE"))); // after COMPLETED: illegal
        Instant deviceNow = Instant.now().plus(shift);
        List<FieldEvent> skewed = new ArrayList<>();
        for (FieldEvent e : batch) {
          // a clock that jumps backwards between events orders nothing either
          long minutes = backwards ? -e.seq() : e.seq();
          skewed.add(withOccurredAt(e, deviceNow.plus(Duration.ofMinutes(minutes))));
        }
        List<String> these = new ArrayList<>();
        for (EventResult r : upload("phone-" + phone++, ANNA, skewed)) {
          these.add(r.outcome() + "/" + r.reason());
        }
        outcomes.add(these);
        deltas.add(jobs.get(job).version() - v0);
        assertEquals(JobStatus.COMPLETED, jobs.get(job).status());
      }
    }
    for (int i = 1; i < outcomes.size(); i++) {
      assertEquals("shift #" + i, outcomes.get(0), outcomes.get(i));
      assertEquals("shift #" + i, deltas.get(0), deltas.get(i));
    }
    assertTrue(outcomes.get(0).toString(), outcomes.get(0).contains("REJECTED/UNKNOWN_CODE"));
    assertTrue(outcomes.get(0).toString(), outcomes.get(0).contains("REJECTED/ILLEGAL_TRANSITION"));
    assertEquals(6L, (long) deltas.get(0));
  }

  // ---------------------------------------------------------------- concurrency: the fault test

  /**
   * A device whose uploads time out retries while the first is still running: 20 uploads of the
   * same 10-event batch at once. Each event is applied exactly once, the rest are DUPLICATE.
   */
  @Test
  public void twentyConcurrentUploadsOfTheSameBatchApplyEachEventOnce() throws Exception {
    String job = jobFor(annaTech);
    long v0 = jobs.get(job).version();
    List<FieldEvent> batch = tenEvents(job, 1);
    int threads = 20;
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<EventResult>>> uploads = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        uploads.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  start.await();
                  return sync.ingest(new EventBatch("phone-1", batch), ANNA);
                }));
      }
      assertTrue(ready.await(30, TimeUnit.SECONDS));
      long began = System.nanoTime();
      start.countDown();
      Map<String, Integer> applied = new HashMap<>();
      Map<String, Long> appliedVersion = new HashMap<>();
      List<List<EventResult>> all = new ArrayList<>();
      for (Future<List<EventResult>> f : uploads) {
        all.add(f.get(240, TimeUnit.SECONDS));
      }
      System.out.printf(
          "20 concurrent uploads of 10 events: %d ms%n", (System.nanoTime() - began) / 1_000_000);
      for (List<EventResult> results : all) {
        assertEquals(batch.size(), results.size());
        for (int i = 0; i < batch.size(); i++) {
          EventResult r = results.get(i);
          assertEquals(batch.get(i).opId(), r.opId());
          if (r.outcome() == Outcome.APPLIED) {
            applied.merge(r.opId(), 1, Integer::sum);
            appliedVersion.put(r.opId(), r.jobVersion());
          } else {
            assertEquals(r.toString(), Outcome.DUPLICATE, r.outcome());
            assertEquals(r.toString(), Outcome.APPLIED, r.firstOutcome());
          }
        }
      }
      for (FieldEvent e : batch) {
        assertEquals(
            "exactly one APPLIED for seq " + e.seq(), Integer.valueOf(1), applied.get(e.opId()));
      }
      for (List<EventResult> results : all) {
        for (EventResult r : results) {
          assertEquals(r.toString(), appliedVersion.get(r.opId()), r.jobVersion());
        }
      }
      long expected = v0;
      for (FieldEvent e : batch) { // in seq order
        assertEquals("seq " + e.seq(), expected + 1, (long) appliedVersion.get(e.opId()));
        expected++;
      }
      int appliedEffects = applied.values().stream().mapToInt(Integer::intValue).sum();
      WorkOrder done = jobs.get(job);
      assertEquals(JobStatus.COMPLETED, done.status());
      // version 1 at creation, +1 for the dispatching assignment, +1 per applied effect
      assertEquals(2, v0);
      assertEquals(1 + 1 + appliedEffects, done.version());
      assertEquals(v0 + batch.size(), done.version());
      assertEquals(2, done.labor().size());
      assertEquals(2, done.parts().size());
      assertEquals(1, done.flatRateTasks().size());
      assertEquals(2, done.notes().size());
      assertEquals(
          new TreeSet<>(List.of("note one", "note two")),
          new TreeSet<>(done.notes().stream().map(JobLine::text).toList()));
      List<String> moves = statusMoves(job);
      assertEquals(List.of("EN_ROUTE", "ON_SITE", "COMPLETED"), moves.subList(1, moves.size()));
      assertEquals(batch.size(), storedEvents());
      assertEquals(1, storedDevices());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Two technicians on one job at the same moment, from their own devices: Anna moves the status
   * back and forth and records facts while Ben records facts. Every event is applied once, each
   * with its own job version, and nothing waits for a database deadlock to be broken.
   */
  @Test
  public void twoTechniciansWorkingOneJobAtOnceLoseNothing() throws Exception {
    String job = jobs.create(draft("Two-person lift"), DISPATCHER).id();
    jobs.assign(
        job, null, new Assignment(List.of(annaTech, benTech), SLOT_START, SLOT_END), DISPATCHER);
    long v0 = jobs.get(job).version();
    Map<Caller, List<FieldEvent>> work = new LinkedHashMap<>();
    List<String> plan = new ArrayList<>(List.of("EN_ROUTE", "ON_SITE"));
    for (String fact : List.of("part", "note", "labor", "part", "note", "labor")) {
      plan.addAll(List.of(fact, "PAUSED", "ON_SITE"));
    }
    List<FieldEvent> annas = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      annas.add(fact(i + 1, job, plan.get(i), "anna"));
    }
    work.put(ANNA, annas); // 20 events: 14 status moves, 6 facts
    List<FieldEvent> bens = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      bens.add(fact(i, job, i % 5 == 0 ? "note" : i % 5 == 1 ? "labor" : "part", "ben"));
    }
    work.put(BEN, bens); // 20 facts: 12 parts, 4 labor, 4 notes
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<EventResult>>> uploads = new ArrayList<>();
      for (Map.Entry<Caller, List<FieldEvent>> w : work.entrySet()) {
        uploads.add(
            pool.submit(
                () -> {
                  start.await();
                  List<EventResult> results = new ArrayList<>();
                  List<FieldEvent> events = w.getValue();
                  for (FieldEvent e : events) { // one event a batch: as many commits as can be
                    results.addAll(
                        sync.ingest(
                            new EventBatch("phone-" + w.getKey().username(), List.of(e)),
                            w.getKey()));
                  }
                  return results;
                }));
      }
      long began = System.nanoTime();
      start.countDown();
      TreeSet<Long> versions = new TreeSet<>();
      for (Future<List<EventResult>> f : uploads) {
        for (EventResult r : f.get(240, TimeUnit.SECONDS)) {
          assertEquals(r.toString(), Outcome.APPLIED, r.outcome());
          assertTrue("one version per change: " + r, versions.add(r.jobVersion()));
        }
      }
      long millis = (System.nanoTime() - began) / 1_000_000;
      System.out.printf("two technicians, 40 events on one job at once: %d ms%n", millis);
      // Derby breaks a deadlock after 20 s (PostgreSQL after 1 s): none may have been needed
      assertTrue("took " + millis + " ms", millis < 10_000);
      WorkOrder done = jobs.get(job);
      assertEquals(JobStatus.ON_SITE, done.status());
      assertEquals(v0 + 40, done.version());
      assertEquals(v0 + 1, (long) versions.first());
      assertEquals(v0 + 40, (long) versions.last());
      assertEquals(2 + 12, done.parts().size());
      assertEquals(2 + 4, done.labor().size());
      assertEquals(2 + 4, done.notes().size());
      assertEquals(4, done.notes().stream().filter(n -> n.technicianId().equals(benTech)).count());
    } finally {
      pool.shutdownNow();
    }
  }

  /** An upper-case {@code what} is a status move, else a fact of that type. */
  private static FieldEvent fact(long seq, String job, String what, String who) {
    return switch (what) {
      case "note" -> event(seq, job, "note", Map.of("text", who + " note " + seq));
      case "part" -> event(seq, job, "part", Map.of("sku", "FILTER-20", "quantity", seq));
      case "labor" ->
          event(
              seq,
              job,
              "labor",
              labor("2026-11-26T15:00:00Z", "2026-11-26T15:" + (10 + seq) + ":00Z"));
      default -> event(seq, job, "status", Map.of("to", what));
    };
  }

  // ---------------------------------------------------------------- property: random schedules

  /**
   * 1,000 random schedules (property-based, seeded and replayable; {@code
   * -Dfieldops.sync.schedules=N} for more) of one device's 12 events: split into consecutive
   * batches, earlier events resent inside later batches, batches shuffled and whole batches retried
   * (now or at the end). Every event is applied exactly once and the status moves in seq order.
   */
  @Test
  public void randomSchedulesApplyEveryEventOnceInSeqOrder() {
    long base = Long.getLong("fieldops.sync.seed", new Random().nextLong());
    int schedules = Integer.getInteger("fieldops.sync.schedules", 1000);
    for (int schedule = 0; schedule < schedules; schedule++) {
      long seed = base + schedule;
      try {
        runSchedule(new Random(seed), "device-" + schedule);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "schedule "
                + schedule
                + " failed; reproduce with -Dfieldops.sync.seed="
                + seed
                + " (seed "
                + seed
                + "): "
                + e,
            e);
      }
    }
  }

  private void runSchedule(Random random, String device) {
    String job = jobFor(annaTech);
    long v0 = jobs.get(job).version();
    List<FieldEvent> events = twelveEvents(job, 1 + random.nextInt(1_000));
    List<List<FieldEvent>> sent = new ArrayList<>();
    List<List<EventResult>> answers = new ArrayList<>();

    int next = 0;
    while (next < events.size()) {
      int size = Math.min(1 + random.nextInt(5), events.size() - next);
      List<FieldEvent> batch = new ArrayList<>(events.subList(next, next + size));
      // the device resends some earlier events whose answers it never got
      for (int i = 0; i < next; i++) {
        if (random.nextInt(4) == 0) {
          batch.add(events.get(i));
        }
      }
      next += size;
      Collections.shuffle(batch, random);
      int tries = 1 + (random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0);
      for (int t = 0; t < tries; t++) {
        sent.add(batch);
        answers.add(sync.ingest(new EventBatch(device, batch), ANNA));
      }
    }
    // late retries of whole batches, in any order
    int late = random.nextInt(4);
    int batches = sent.size();
    for (int i = 0; i < late; i++) {
      List<FieldEvent> batch = new ArrayList<>(sent.get(random.nextInt(batches)));
      Collections.shuffle(batch, random);
      sent.add(batch);
      answers.add(sync.ingest(new EventBatch(device, batch), ANNA));
    }

    Map<String, Integer> applied = new HashMap<>();
    Map<String, Long> versionOf = new HashMap<>();
    for (int b = 0; b < sent.size(); b++) {
      List<FieldEvent> batch = sent.get(b);
      List<EventResult> results = answers.get(b);
      assertEquals(batch.size(), results.size());
      for (int i = 0; i < batch.size(); i++) {
        EventResult r = results.get(i);
        assertEquals("request order", batch.get(i).opId(), r.opId());
        if (r.outcome() == Outcome.APPLIED) {
          applied.merge(r.opId(), 1, Integer::sum);
          assertNull(versionOf.put(r.opId(), r.jobVersion()));
        } else {
          assertEquals(r.toString(), Outcome.DUPLICATE, r.outcome());
          assertEquals(r.toString(), Outcome.APPLIED, r.firstOutcome());
        }
      }
    }
    long expected = v0;
    for (FieldEvent e : events) {
      assertEquals("applied once: seq " + e.seq(), Integer.valueOf(1), applied.get(e.opId()));
      assertEquals("in seq order: seq " + e.seq(), expected + 1, (long) versionOf.get(e.opId()));
      expected++;
    }
    for (List<EventResult> results : answers) {
      for (EventResult r : results) {
        assertEquals(versionOf.get(r.opId()), r.jobVersion());
      }
    }
    WorkOrder done = jobs.get(job);
    assertEquals(JobStatus.COMPLETED, done.status());
    assertEquals(v0 + events.size(), done.version());
    assertEquals(2, done.labor().size());
    assertEquals(2, done.parts().size());
    assertEquals(1, done.flatRateTasks().size());
    assertEquals(2, done.notes().size());
    List<String> moves = statusMoves(job);
    assertEquals(
        List.of("EN_ROUTE", "ON_SITE", "PAUSED", "ON_SITE", "COMPLETED"),
        moves.subList(1, moves.size()));
  }

  // ---------------------------------------------------------------- fixtures

  record Poison(String type, Map<String, Object> data, String reason) {}

  private WorkOrderDraft draft(String title) {
    return new WorkOrderDraft(
        customer,
        site,
        List.of(),
        title,
        null,
        "hvac.repair",
        Priority.NORMAL,
        WINDOW_START,
        WINDOW_END,
        120,
        List.of());
  }

  /** A new job, dispatched to the technician. */
  private String jobFor(String technicianId) {
    String id = jobs.create(draft("Rooftop unit not cooling"), DISPATCHER).id();
    WorkOrder job =
        jobs.assign(
                id, null, new Assignment(List.of(technicianId), SLOT_START, SLOT_END), DISPATCHER)
            .job();
    assertEquals(JobStatus.DISPATCHED, job.status());
    return id;
  }

  private static String uuid() {
    return UUID.randomUUID().toString();
  }

  private static FieldEvent event(long seq, String jobId, String type, Map<String, Object> data) {
    return new FieldEvent(
        uuid(), seq, jobId, type, Instant.parse("2026-11-26T15:00:00Z").plusSeconds(seq), 2L, data);
  }

  private static Map<String, Object> labor(String from, String to) {
    return Map.of("startedAt", from, "endedAt", to, "rateCode", "STD");
  }

  /** EN_ROUTE, ON_SITE, labor (1.5 h), part (2), note, COMPLETED; seq from {@code first}. */
  private static List<FieldEvent> visit(String job, long first) {
    return List.of(
        event(first, job, "status", Map.of("to", "EN_ROUTE")),
        event(first + 1, job, "status", Map.of("to", "ON_SITE")),
        event(first + 2, job, "labor", labor("2026-11-26T15:10:00Z", "2026-11-26T16:40:00Z")),
        event(first + 3, job, "part", Map.of("sku", "FILTER-20", "quantity", 2)),
        event(first + 4, job, "note", Map.of("text", "replaced the filter, unit cooling again")),
        event(first + 5, job, "status", Map.of("to", "COMPLETED")));
  }

  private static List<FieldEvent> tenEvents(String job, long first) {
    return List.of(
        event(first, job, "status", Map.of("to", "EN_ROUTE")),
        event(first + 1, job, "status", Map.of("to", "ON_SITE")),
        event(first + 2, job, "labor", labor("2026-11-26T15:10:00Z", "2026-11-26T16:00:00Z")),
        event(first + 3, job, "part", Map.of("sku", "FILTER-20", "quantity", 2)),
        event(first + 4, job, "note", Map.of("text", "note one")),
        event(first + 5, job, "flatRate", Map.of("code", "PM-VISIT", "quantity", 1)),
        event(first + 6, job, "part", Map.of("sku", "FILTER-20", "quantity", 1)),
        event(first + 7, job, "labor", labor("2026-11-26T16:00:00Z", "2026-11-26T16:30:00Z")),
        event(first + 8, job, "note", Map.of("text", "note two")),
        event(first + 9, job, "status", Map.of("to", "COMPLETED")));
  }

  private static List<FieldEvent> twelveEvents(String job, long first) {
    return List.of(
        event(first, job, "status", Map.of("to", "EN_ROUTE")),
        event(first + 1, job, "note", Map.of("text", "on my way")),
        event(first + 2, job, "status", Map.of("to", "ON_SITE")),
        event(first + 3, job, "labor", labor("2026-11-26T15:10:00Z", "2026-11-26T16:00:00Z")),
        event(first + 4, job, "part", Map.of("sku", "FILTER-20", "quantity", 2)),
        event(first + 5, job, "status", Map.of("to", "PAUSED")),
        event(first + 6, job, "note", Map.of("text", "waiting for the roof key")),
        event(first + 7, job, "status", Map.of("to", "ON_SITE")),
        event(first + 8, job, "part", Map.of("sku", "FILTER-20", "quantity", 1)),
        event(first + 9, job, "flatRate", Map.of("code", "PM-VISIT", "quantity", 1)),
        event(first + 10, job, "labor", labor("2026-11-26T16:30:00Z", "2026-11-26T17:00:00Z")),
        event(first + 11, job, "status", Map.of("to", "COMPLETED")));
  }

  private static FieldEvent withData(FieldEvent e, Map<String, Object> data) {
    return new FieldEvent(
        e.opId(), e.seq(), e.jobId(), e.type(), e.occurredAt(), e.baseVersion(), data);
  }

  private static FieldEvent withSeq(FieldEvent e, long seq) {
    return new FieldEvent(
        e.opId(), seq, e.jobId(), e.type(), e.occurredAt(), e.baseVersion(), e.data());
  }

  private static FieldEvent withOccurredAt(FieldEvent e, Instant at) {
    return new FieldEvent(e.opId(), e.seq(), e.jobId(), e.type(), at, e.baseVersion(), e.data());
  }

  private List<EventResult> ingest(String device, Caller caller, List<FieldEvent> events) {
    return sync.ingest(new EventBatch(device, events), caller);
  }

  private List<EventResult> upload(String device, Caller caller, List<FieldEvent> events) {
    List<EventResult> results = ingest(device, caller, events);
    assertEquals(events.size(), results.size());
    return results;
  }

  /** The statuses the job went through, oldest first, from its audit trail. */
  private List<String> statusMoves(String job) {
    List<String> moves = new ArrayList<>();
    moves.add("NEW");
    db.read(
            em ->
                em.createQuery(
                        "SELECT a.newValue FROM JobAuditEntity a WHERE a.jobId = :job "
                            + "AND a.field = 'status' ORDER BY a.jobVersion",
                        String.class)
                    .setParameter("job", job)
                    .getResultList())
        .forEach(moves::add);
    // NEW -> DISPATCHED by the assignment, then the technician's moves
    assertEquals(moves.toString(), "DISPATCHED", moves.get(1));
    moves.remove(0);
    return moves;
  }

  private DeviceEventEntity stored(String device, String opId) {
    return db.read(em -> em.find(DeviceEventEntity.class, new DeviceEventEntity.Key(device, opId)));
  }

  private DeviceEntity device(String device) {
    return db.read(em -> em.find(DeviceEntity.class, device));
  }

  private long storedEvents() {
    return db.read(
        em ->
            em.createQuery("SELECT COUNT(e) FROM DeviceEventEntity e", Long.class)
                .getSingleResult());
  }

  private long storedDevices() {
    return db.read(
        em -> em.createQuery("SELECT COUNT(d) FROM DeviceEntity d", Long.class).getSingleResult());
  }

  private static String abbreviate(Object o) {
    String s = String.valueOf(o);
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  /** The call fails validation naming exactly these fields. */
  private static void invalid(ThrowingRunnable call, String... fields) {
    ValidationException e = assertThrows(ValidationException.class, call);
    Set<String> named = new TreeSet<>();
    for (FieldError error : e.errors()) {
      named.add(error.field());
      assertFalse(error.toString(), error.message().isBlank());
    }
    assertEquals(e.errors().toString(), new TreeSet<>(List.of(fields)), named);
  }
}
