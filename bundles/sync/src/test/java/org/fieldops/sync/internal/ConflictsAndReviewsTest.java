package org.fieldops.sync.internal;

import static org.fieldops.sync.internal.SyncFixture.ANNA;
import static org.fieldops.sync.internal.SyncFixture.DISPATCHER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.media.MediaService;
import org.fieldops.api.sync.EventBatch;
import org.fieldops.api.sync.EventResult;
import org.fieldops.api.sync.FieldEvent;
import org.fieldops.api.sync.Outcome;
import org.fieldops.api.sync.Review;
import org.fieldops.api.sync.ReviewResolution;
import org.fieldops.api.sync.SyncStatus;
import org.fieldops.spi.conflict.ConflictPolicy;
import org.fieldops.spi.conflict.Decision;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Constants;

/**
 * Field conflicts, conflict policies (order, isolation), the office review queue, status moves on
 * jobs lost since the device's base, media events, sync status and rejections, on real Derby.
 */
public class ConflictsAndReviewsTest {
  static final Instant SLOT = Instant.parse("2026-11-26T15:00:00Z");

  @Rule public final TestDatabase db = new TestDatabase();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private SyncFixture f;
  private long seq;

  @Before
  public void setUp() throws Exception {
    f = new SyncFixture(db, folder.newFolder().toPath(), Clock.systemUTC());
  }

  @Test
  public void aChangeWithNoInterveningWriteIsAppliedWithANewJobVersion() {
    String job = f.jobFor(f.annaTech, SLOT);
    long before = f.jobs.get(job).version();
    EventResult r = one("d1", field(job, "site.accessNotes", "roof hatch 1234", "code 9876"));
    assertEquals(Outcome.APPLIED, r.outcome());
    assertEquals("code 9876", f.sites.get(f.site).accessNotes());
    assertEquals(before + 1, (long) r.jobVersion());
    assertEquals(before + 1, f.jobs.get(job).version());
    assertTrue(
        f.jobs.audit(job, new PageRequest(10, null)).items().stream()
            .anyMatch(
                a -> "site.accessNotes".equals(a.field()) && "code 9876".equals(a.newValue())));
  }

  @Test
  public void theDevicesOwnEarlierChangeIsNoConflict() {
    String job = f.jobFor(f.annaTech, SLOT);
    String path = "equipment/" + f.unit + ".serialNumber";
    assertEquals(Outcome.APPLIED, one("d1", field(job, path, "SN-1", "SN-2")).outcome());
    // the device still had SN-1 as its base for the second correction: its own write, no conflict
    assertEquals(Outcome.APPLIED, one("d1", field(job, path, "SN-1", "SN-3")).outcome());
    assertEquals("SN-3", f.equipment.get(f.unit).serialNumber());
    // another device with the same stale base conflicts
    assertEquals(Outcome.REVIEW, one("d2", field(job, path, "SN-1", "SN-4")).outcome());
  }

  @Test
  public void anOfficeChangeMeanwhileGoesToReviewAndTheResolutionIsApplied() {
    String job = f.jobFor(f.annaTech, SLOT);
    officeSetsAccessNotes("gate code 1111");
    FieldEvent e = field(job, "site.accessNotes", "roof hatch 1234", "ladder in the shed");
    EventResult r = one("d1", e);
    assertEquals(Outcome.REVIEW, r.outcome());
    assertNotNull(r.reviewId());
    assertEquals("gate code 1111", f.sites.get(f.site).accessNotes());

    List<Review> open = f.reviews.list("OPEN", new PageRequest(50, null)).items();
    assertEquals(1, open.size());
    Review review = open.get(0);
    assertEquals("FIELD", review.kind());
    assertEquals("gate code 1111", review.serverValue());
    assertEquals("ladder in the shed", review.deviceValue());
    assertEquals("anna", review.technicianUsername());

    long before = f.jobs.get(job).version();
    Review done = f.reviews.resolve(review.id(), new ReviewResolution("DEVICE", null), DISPATCHER);
    assertEquals("RESOLVED", done.status());
    assertEquals("ladder in the shed", f.sites.get(f.site).accessNotes());
    assertEquals(before + 1, f.jobs.get(job).version());
    assertTrue(f.reviews.list("OPEN", new PageRequest(50, null)).items().isEmpty());
    assertThrows(
        StateConflictException.class,
        () -> f.reviews.resolve(review.id(), new ReviewResolution("SERVER", null), DISPATCHER));

    // the device sends it again: the first outcome is repeated with its review
    EventResult again = one("d1", e);
    assertEquals(Outcome.DUPLICATE, again.outcome());
    assertEquals(Outcome.REVIEW, again.firstOutcome());
    assertEquals(r.reviewId(), again.reviewId());
  }

  @Test
  public void theOfficeMayChooseItsOwnValue() {
    String job = f.jobFor(f.annaTech, SLOT);
    officeSetsAccessNotes("gate code 1111");
    String id = one("d1", field(job, "site.accessNotes", "roof hatch 1234", "x")).reviewId();
    assertThrows(
        ValidationException.class,
        () -> f.reviews.resolve(id, new ReviewResolution("VALUE", null), DISPATCHER));
    assertThrows(
        ValidationException.class,
        () -> f.reviews.resolve(id, new ReviewResolution("BOTH", null), DISPATCHER));
    f.reviews.resolve(id, new ReviewResolution("VALUE", "gate 1111, ladder in shed"), DISPATCHER);
    assertEquals("gate 1111, ladder in shed", f.sites.get(f.site).accessNotes());
  }

  @Test
  public void theDefaultPolicyKeepsTheServerWhenBothValuesAgree() {
    String job = f.jobFor(f.annaTech, SLOT);
    officeSetsAccessNotes("code 42");
    EventResult r = one("d1", field(job, "site.accessNotes", "roof hatch 1234", "code 42 "));
    assertEquals(Outcome.MERGED, r.outcome());
    assertEquals("default:KEEP_SERVER", r.policy());
    assertEquals("code 42", r.value());
  }

  @Test
  public void policiesAreAskedByRankingAndTheFirstDecisionWins() {
    String job = f.jobFor(f.annaTech, SLOT);
    f.policies.add(
        c -> Decision.merge(c.serverValue() + " / " + c.deviceValue()), props("merge", 5));
    f.policies.add(c -> null, props("passes", 100));
    f.policies.add(
        c -> c.field().equals("accessNotes") ? Decision.takeDevice() : null,
        props("org.example.partner.policies.TrustTheTechnicianOnNotes", 10));
    officeSetsAccessNotes("gate");
    EventResult r = one("d1", field(job, "site.accessNotes", "roof hatch 1234", "ladder"));
    assertEquals(Outcome.MERGED, r.outcome());
    assertEquals("org.example.partner.policies.TrustTheTechnicianOnNotes:TAKE_DEVICE", r.policy());
    assertEquals("ladder", f.sites.get(f.site).accessNotes());

    officeSetsAccessNotes("gate 2");
    String path = "equipment/" + f.unit + ".model";
    f.equipment.update(
        f.unit, f.equipment.get(f.unit).version(), Map.of("model", "48TC-2"), DISPATCHER);
    EventResult m = one("d1", field(job, path, "48TC", "48TC-X"));
    assertEquals("merge:MERGE", m.policy());
    assertEquals("48TC-2 / 48TC-X", f.equipment.get(f.unit).model());
  }

  @Test
  public void aThrowingOrHangingPolicyPassesAndNeverBreaksTheUpload() {
    String job = f.jobFor(f.annaTech, SLOT);
    f.policies.add(
        c -> {
          throw new IllegalStateException("plugin bug");
        },
        props("throws", 20));
    f.policies.add(
        c -> {
          try {
            Thread.sleep(10_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Decision.takeDevice();
        },
        props("hangs", 10));
    officeSetsAccessNotes("gate");
    long started = System.nanoTime();
    EventResult r = one("d1", field(job, "site.accessNotes", "roof hatch 1234", "ladder"));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(Outcome.REVIEW, r.outcome()); // both passed; the default policy sent it to review
    assertTrue("the hanging policy was cut off after its time bound: " + millis, millis < 5_000);
    assertTrue(
        f.policies.plugins().stream()
            .anyMatch(
                p ->
                    "throws".equals(p.name())
                        && p.state() == org.fieldops.api.platform.PluginState.FAILING
                        && p.lastError().contains("plugin bug")));
  }

  @Test
  public void officeOwnedAndForeignPathsAreRejected() {
    String job = f.jobFor(f.annaTech, SLOT);
    EventResult window = one("d1", field(job, "job.windowStart", null, "2026-11-27T08:00:00Z"));
    assertEquals(Outcome.REJECTED, window.outcome());
    assertEquals("OFFICE_OWNED_FIELD", window.reason());
    EventResult foreign = one("d1", field(job, "equipment/other-unit.serialNumber", null, "X"));
    assertEquals("OFFICE_OWNED_FIELD", foreign.reason());
    EventResult tooLong =
        one("d1", field(job, "equipment/" + f.unit + ".model", "48TC", "x".repeat(201)));
    assertEquals("INVALID_DATA", tooLong.reason());
  }

  @Test
  public void aStatusMoveOnAJobCancelledMeanwhileIsReviewedAndTheFactsAreApplied() {
    String job = f.jobFor(f.annaTech, SLOT);
    long seen = f.jobs.get(job).version();
    f.jobs.transition(job, null, JobStatus.CANCELLED, "customer called", DISPATCHER);
    List<EventResult> r =
        upload(
            "d1",
            event(job, "note", Map.of("text", "unit was already fixed"), seen),
            event(job, "status", Map.of("to", "ON_SITE"), seen));
    assertEquals(Outcome.APPLIED, r.get(0).outcome());
    assertEquals(Outcome.REVIEW, r.get(1).outcome());
    assertEquals(JobStatus.CANCELLED, f.jobs.get(job).status());
    assertEquals(1, f.jobs.get(job).notes().size());
    Review review = f.reviews.get(r.get(1).reviewId());
    assertEquals("STATUS", review.kind());
    assertEquals("ON_SITE", review.deviceValue());
    assertThrows(
        StateConflictException.class,
        () -> f.reviews.resolve(review.id(), new ReviewResolution("DEVICE", null), DISPATCHER));
    assertEquals(
        "RESOLVED",
        f.reviews.resolve(review.id(), new ReviewResolution("SERVER", null), DISPATCHER).status());
  }

  @Test
  public void aStatusMoveOnAJobReassignedMeanwhileIsReviewedNotRejected() {
    String job = f.jobFor(f.annaTech, SLOT);
    long seen = f.jobs.get(job).version();
    f.jobs.assign(
        job, null, new Assignment(List.of(f.benTech), SLOT, SLOT.plusSeconds(3600)), DISPATCHER);
    EventResult r = one("d1", event(job, "status", Map.of("to", "EN_ROUTE"), seen));
    assertEquals(Outcome.REVIEW, r.outcome());
    // with a base from after the re-assignment there is no conflict: an ordinary refusal
    EventResult late =
        one("d1", event(job, "status", Map.of("to", "EN_ROUTE"), f.jobs.get(job).version()));
    assertEquals(Outcome.REJECTED, late.outcome());
  }

  @Test
  public void aPhotoOfMissingMediaIsRetryableAndAppliedOnceUploaded() throws Exception {
    String job = f.jobFor(f.annaTech, SLOT);
    byte[] png = png();
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
    EventResult missing =
        one("d1", event(job, "photo", Map.of("sha256", sha, "caption", "data plate"), 1L));
    assertEquals(Outcome.REJECTED, missing.outcome());
    assertEquals("MEDIA_MISSING", missing.reason());
    assertTrue(missing.retryable());
    MediaService media = SyncFixture.media(db, folder.newFolder().toPath());
    media.store(sha, "image/png", new ByteArrayInputStream(png), ANNA);
    // stored through a second media service on the same database (the event needs the record
    // and the caller's right to see it)
    EventResult ok =
        one("d1", event(job, "photo", Map.of("sha256", sha, "caption", "data plate"), 1L));
    assertEquals(Outcome.APPLIED, ok.outcome());
    EventResult signed =
        one("d1", event(job, "signature", Map.of("sha256", sha, "signerName", "J. Doe"), 1L));
    assertEquals(Outcome.APPLIED, signed.outcome());
    org.fieldops.api.jobs.WorkOrder record = f.jobs.get(job);
    assertEquals(2, record.media().size());
    assertEquals("data plate", record.media().get(0).caption());
    assertEquals("photo", record.media().get(0).kind());
    assertEquals("J. Doe", record.signature().caption());
    assertEquals("anna", record.signature().addedBy());
    assertEquals(
        "INVALID_DATA", one("d1", event(job, "signature", Map.of("sha256", sha), 1L)).reason());
  }

  @Test
  public void syncStatusShowsCountsReviewsRejectionsAndSeqGaps() {
    String job = f.jobFor(f.annaTech, SLOT);
    officeSetsAccessNotes("gate");
    seq = 0;
    upload("d1", event(job, "note", Map.of("text", "one"), 1L)); // seq 1
    upload("d1", event(job, "part", Map.of("sku", "NOPE", "quantity", 1), 1L)); // seq 2
    seq = 4;
    upload("d1", field(job, "site.accessNotes", "roof hatch 1234", "x")); // seq 5: gap 3..4
    SyncStatus s = f.sync.status("d1", ANNA);
    assertEquals(1L, (long) s.counts().get("APPLIED"));
    assertEquals(1L, (long) s.counts().get("REJECTED"));
    assertEquals(1L, (long) s.counts().get("REVIEW"));
    assertEquals(5L, (long) s.lastSeq());
    assertEquals("UNKNOWN_CODE", s.rejected().get(0).reason());
    assertEquals("OPEN", s.inReview().get(0).reviewStatus());
    assertEquals(List.of(new SyncStatus.SeqGap("d1", 3, 4)), s.gaps());
    assertEquals(s.counts(), f.sync.status(null, ANNA).counts());
    assertThrows(
        org.fieldops.api.NotFoundException.class, () -> f.sync.status("d1", SyncFixture.BEN));

    // the office sees the rejection and marks it handled
    var open = f.sync.rejections(f.annaTech, false, new PageRequest(50, null)).items();
    assertEquals(1, open.size());
    assertFalse(open.get(0).acknowledged());
    String opId = open.get(0).opId();
    assertTrue(f.sync.acknowledge(opId, null, DISPATCHER).acknowledged());
    assertTrue(f.sync.rejections(f.annaTech, false, new PageRequest(50, null)).items().isEmpty());
    assertEquals(1, f.sync.rejections(null, true, new PageRequest(50, null)).items().size());
    assertEquals("dora", f.sync.acknowledge(opId, "d1", DISPATCHER).acknowledgedBy()); // idempotent
    assertTrue(f.sync.rejections(f.benTech, null, new PageRequest(50, null)).items().isEmpty());
  }

  @Test
  public void rejectionsArePagedNewestFirstWithoutLossOrRepeat() {
    String job = f.jobFor(f.annaTech, SLOT);
    for (int i = 0; i < 7; i++) {
      upload("d1", event(job, "part", Map.of("sku", "NOPE-" + i, "quantity", 1), 1L));
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    String cursor = null;
    do {
      var page = f.sync.rejections(null, null, new PageRequest(3, cursor));
      page.items().forEach(r -> assertTrue("repeated " + r.opId(), seen.add(r.opId())));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertEquals(7, seen.size());
    assertThrows(
        ValidationException.class, () -> f.sync.rejections(null, null, new PageRequest(3, "zz")));
  }

  // ---------------------------------------------------------------- helpers

  private void officeSetsAccessNotes(String notes) {
    f.sites.update(f.site, f.sites.get(f.site).version(), Map.of("accessNotes", notes), DISPATCHER);
  }

  private static Map<String, Object> props(String name, int ranking) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConflictPolicy.NAME, name);
    p.put(Constants.SERVICE_RANKING, ranking);
    p.put(Constants.SERVICE_ID, (long) ranking);
    return p;
  }

  private FieldEvent field(String job, String path, String base, String value) {
    Map<String, Object> data = new HashMap<>();
    data.put("path", path);
    data.put("base", base);
    data.put("value", value);
    return event(job, "field", data, 2L);
  }

  private FieldEvent event(String job, String type, Map<String, Object> data, long base) {
    seq++;
    return new FieldEvent(UUID.randomUUID().toString(), seq, job, type, Instant.now(), base, data);
  }

  private EventResult one(String device, FieldEvent e) {
    return upload(device, e).get(0);
  }

  private List<EventResult> upload(String device, FieldEvent... events) {
    return f.sync.ingest(new EventBatch(device, List.of(events)), ANNA);
  }

  /** A 1×1 PNG. */
  static byte[] png() throws Exception {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  static {
    System.setProperty("java.awt.headless", "true");
  }
}
