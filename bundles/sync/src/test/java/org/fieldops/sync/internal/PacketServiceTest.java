package org.fieldops.sync.internal;

import static org.fieldops.sync.internal.SyncFixture.ANNA;
import static org.fieldops.sync.internal.SyncFixture.DISPATCHER;
import static org.fieldops.sync.internal.SyncFixture.FINANCE;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.LineDraft;
import org.fieldops.api.jobs.LineKind;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.sync.EventBatch;
import org.fieldops.api.sync.FieldEvent;
import org.fieldops.api.sync.Packet;
import org.fieldops.api.sync.PacketJob;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Full packets, deltas by cursor (also under concurrent writers) and primed packets. */
public class PacketServiceTest {
  static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");
  static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

  @Rule public final TestDatabase db = new TestDatabase();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private SyncFixture f;

  @Before
  public void setUp() throws Exception {
    f = new SyncFixture(db, folder.newFolder().toPath(), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  public void theFullPacketHasTheDaysJobsInRouteOrderWithEverythingTheTechnicianNeeds() {
    String past = f.jobFor(f.annaTech, Instant.parse("2026-11-20T09:00:00Z"));
    for (String to : List.of("EN_ROUTE", "ON_SITE", "COMPLETED")) {
      f.jobs.moveByTechnician(past, JobStatus.valueOf(to), ANNA);
    }
    f.jobs.addLine(
        past,
        new LineDraft(LineKind.NOTE, null, null, null, null, null, null, "belt worn", null),
        DISPATCHER);
    String afternoon = f.jobFor(f.annaTech, Instant.parse("2026-11-26T15:00:00Z"));
    String morning = f.jobFor(f.annaTech, Instant.parse("2026-11-26T09:00:00Z"));
    String tomorrow = f.jobFor(f.annaTech, Instant.parse("2026-11-27T09:00:00Z"));
    String bens = f.jobFor(f.benTech, Instant.parse("2026-11-26T10:00:00Z"));
    String cancelled = f.jobFor(f.annaTech, Instant.parse("2026-11-26T12:00:00Z"));
    f.jobs.transition(cancelled, null, JobStatus.CANCELLED, "no access", DISPATCHER);

    Packet p = f.packets.full(1, ANNA);
    assertEquals(List.of(morning, afternoon), ids(p));
    assertEquals(TODAY, p.from());
    assertEquals(TODAY, p.to());
    assertEquals("UTC", p.timezone());
    PacketJob first = p.jobs().get(0);
    assertEquals(1, first.routeOrder());
    assertEquals(2, p.jobs().get(1).routeOrder());
    assertEquals("Acme", first.customer().name());
    assertEquals("roof hatch 1234", first.site().accessNotes());
    assertEquals("geo:40.0,-75.5", first.site().navigationUrl());
    assertEquals(JobStatus.DISPATCHED, first.status());
    assertEquals(f.jobs.get(morning).version(), first.version());
    PacketJob.PacketEquipment unit = first.equipment().get(0);
    assertEquals("SN-1", unit.serialNumber());
    assertEquals(1, unit.history().size());
    assertEquals(past, unit.history().get(0).jobId());
    assertEquals(List.of("belt worn"), unit.history().get(0).notes());
    assertEquals("STD", p.priceBook().laborRates().get(0).code());
    assertEquals(new BigDecimal("90.00"), p.priceBook().laborRates().get(0).hourlyRate());
    assertEquals("FILTER-20", p.priceBook().parts().get(0).sku());
    assertNotNull(p.cursor());

    assertEquals(List.of(morning, afternoon, tomorrow), ids(f.packets.full(2, ANNA)));
    assertTrue(ids(f.packets.full(7, SyncFixture.BEN)).contains(bens));
  }

  @Test
  public void aDeltaCarriesOnlyWhatChangedForTheTechnicianAndWhatLeftThem() {
    String a = f.jobFor(f.annaTech, Instant.parse("2026-11-26T09:00:00Z"));
    String b = f.jobFor(f.annaTech, Instant.parse("2026-11-26T11:00:00Z"));
    String c = f.jobFor(f.annaTech, Instant.parse("2026-11-26T13:00:00Z"));
    String d = f.jobFor(f.annaTech, Instant.parse("2026-11-26T15:00:00Z"));
    String e = f.jobFor(f.annaTech, Instant.parse("2026-11-26T16:00:00Z"));
    f.stamp();
    Packet full = f.packets.full(1, ANNA);
    assertEquals(5, full.jobs().size());

    Packet nothing = f.packets.delta(full.cursor(), ANNA);
    assertTrue(nothing.delta());
    assertTrue(nothing.jobs().isEmpty());
    assertTrue(nothing.removed().isEmpty());
    assertNull(nothing.priceBook());

    f.sync.ingest(
        new EventBatch(
            "d1",
            List.of(
                new FieldEvent(
                    UUID.randomUUID().toString(),
                    1L,
                    a,
                    "note",
                    Instant.now(),
                    2L,
                    Map.of("text", "on my way")))),
        ANNA);
    f.jobs.assign(
        b,
        null,
        new Assignment(
            List.of(f.benTech),
            Instant.parse("2026-11-26T11:00:00Z"),
            Instant.parse("2026-11-26T12:00:00Z")),
        DISPATCHER);
    f.jobs.transition(c, null, JobStatus.CANCELLED, "customer cancelled", DISPATCHER);
    f.jobs.assign(
        d,
        null,
        new Assignment(
            List.of(f.annaTech),
            Instant.parse("2026-11-28T09:00:00Z"),
            Instant.parse("2026-11-28T10:00:00Z")),
        DISPATCHER);
    f.stamp();

    Packet delta = f.packets.delta(full.cursor(), ANNA);
    assertEquals(List.of(a), ids(delta));
    assertEquals(1, delta.jobs().get(0).routeOrder());
    assertEquals("on my way", delta.jobs().get(0).notes().get(0).text());
    assertEquals(List.of(b, c, d).stream().sorted().toList(), delta.removed());
    assertTrue(f.packets.delta(delta.cursor(), ANNA).jobs().isEmpty());
    // Ben now has b in his delta from his own cursor
    Packet bens = f.packets.full(1, SyncFixture.BEN);
    assertEquals(List.of(b), ids(bens));
    assertTrue(ids(f.packets.delta(full.cursor(), ANNA)).contains(a)); // the old cursor still works
    assertTrue(f.packets.delta(delta.cursor(), ANNA).removed().isEmpty());
    assertEquals(List.of(e), ids(f.packets.full(1, ANNA)).subList(1, 2));
    // a delta keeps the route numbers of the whole day: e is second after a
    f.jobs.addLine(
        e,
        new LineDraft(LineKind.NOTE, null, null, null, null, null, null, "gate", null),
        DISPATCHER);
    f.stamp();
    Packet onlyE = f.packets.delta(delta.cursor(), ANNA);
    assertEquals(List.of(e), ids(onlyE));
    assertEquals(2, onlyE.jobs().get(0).routeOrder());
    delta = onlyE;

    // a price change: the delta carries the price book again
    f.prices.updatePart(
        "FILTER-20", f.prices.part("FILTER-20").version(), Map.of("unitPrice", "13.00"), FINANCE);
    Packet priced = f.packets.delta(delta.cursor(), ANNA);
    assertEquals(new BigDecimal("13.00"), priced.priceBook().parts().get(0).unitPrice());
    assertNull(f.packets.delta(priced.cursor(), ANNA).priceBook());
  }

  @Test
  public void anOfficeEditOfTheSiteOrEquipmentPutsTheOpenJobsInTheDelta() {
    String job = f.jobFor(f.annaTech, Instant.parse("2026-11-26T09:00:00Z"));
    f.stamp();
    Packet full = f.packets.full(1, ANNA);
    long before = f.jobs.get(job).version();
    f.sites.update(
        f.site,
        f.sites.get(f.site).version(),
        Map.of("accessNotes", "new gate code 77"),
        DISPATCHER);
    f.stamp();
    Packet delta = f.packets.delta(full.cursor(), ANNA);
    assertEquals(List.of(job), ids(delta));
    assertEquals("new gate code 77", delta.jobs().get(0).site().accessNotes());
    assertEquals(before + 1, delta.jobs().get(0).version());
    f.equipment.update(
        f.unit, f.equipment.get(f.unit).version(), Map.of("serialNumber", "SN-9"), DISPATCHER);
    f.stamp();
    Packet again = f.packets.delta(delta.cursor(), ANNA);
    assertEquals("SN-9", again.jobs().get(0).equipment().get(0).serialNumber());
  }

  @Test
  public void deltasNeverMissAChangeWhileWritersCommitConcurrently() throws Exception {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      jobs.add(f.jobFor(f.annaTech, Instant.parse("2026-11-26T09:00:00Z").plusSeconds(3600L * i)));
    }
    f.stamp();
    Packet full = f.packets.full(1, ANNA);
    Map<String, Long> seen = new HashMap<>();
    full.jobs().forEach(j -> seen.put(j.id(), j.version()));
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(5);
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String job = jobs.get(w);
      writers.add(
          pool.submit(
              () -> {
                for (int n = 0; n < 25; n++) {
                  f.jobs.addLine(
                      job,
                      new LineDraft(
                          LineKind.NOTE, null, null, null, null, null, null, "n" + n, null),
                      DISPATCHER);
                }
                return null;
              }));
    }
    Future<?> stamper =
        pool.submit(
            () -> {
              while (writing.get()) {
                f.stamp();
              }
              return null;
            });
    String cursor = full.cursor();
    int deltas = 0;
    while (writers.stream().anyMatch(w -> !w.isDone())) {
      Packet d = f.packets.delta(cursor, ANNA);
      d.jobs().forEach(j -> seen.merge(j.id(), j.version(), Math::max));
      cursor = d.cursor();
      deltas++;
    }
    for (Future<?> w : writers) {
      w.get();
    }
    writing.set(false);
    stamper.get();
    pool.shutdown();
    f.stamp();
    Packet last = f.packets.delta(cursor, ANNA);
    last.jobs().forEach(j -> seen.merge(j.id(), j.version(), Math::max));
    for (String job : jobs) {
      assertEquals(
          "after " + deltas + " deltas, job " + job,
          f.jobs.get(job).version(),
          (long) seen.get(job));
    }
  }

  @Test
  public void aPrimedPacketIsServedUntilSomethingChangesForTheTechnician() {
    String job = f.jobFor(f.annaTech, Instant.parse("2026-11-26T09:00:00Z"));
    f.stamp();
    List<Integer> progress = new ArrayList<>();
    var report = f.packets.prime(TODAY, r -> progress.add(r.done()));
    assertEquals(2, report.technicians());
    assertEquals(List.of(1, 2), progress);
    assertEquals(1, report.jobs());

    Packet primed = f.packets.full(1, ANNA);
    Packet again = f.packets.full(1, ANNA);
    assertEquals(primed, again);
    assertEquals(List.of(job), ids(primed));
    assertEquals(
        "served from the snapshot: built by priming, not now",
        primed.jobs().get(0).checklists(),
        again.jobs().get(0).checklists());
    assertEquals(primed.cursor(), f.packets.build(f.annaTech, TODAY, 1).cursor());

    f.jobs.addLine(
        job,
        new LineDraft(LineKind.NOTE, null, null, null, null, null, null, "call first", null),
        DISPATCHER);
    f.stamp();
    Packet fresh = f.packets.full(1, ANNA);
    assertEquals("call first", fresh.jobs().get(0).notes().get(0).text());
  }

  @Test
  public void badCursorsDaysAndCallersAreRefused() {
    assertField("days", () -> f.packets.full(0, ANNA));
    assertField("days", () -> f.packets.full(8, ANNA));
    assertField("since", () -> f.packets.delta("nonsense", ANNA));
    assertField("since", () -> f.packets.delta("", ANNA));
    assertThrows(AccessDeniedException.class, () -> f.packets.full(1, DISPATCHER));
    assertThrows(
        AccessDeniedException.class,
        () -> f.packets.full(1, new Caller("nobody", Set.of(Role.TECHNICIAN))));
  }

  private static void assertField(String field, org.junit.function.ThrowingRunnable call) {
    ValidationException e = assertThrows(ValidationException.class, call);
    assertEquals(field, e.errors().get(0).field());
  }

  private static List<String> ids(Packet p) {
    return p.jobs().stream().map(PacketJob::id).toList();
  }
}
