package org.fieldops.sync.internal;

import static org.junit.Assert.assertEquals;

import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.Priority;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.EquipmentDraft;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.media.MediaService;
import org.fieldops.api.pricebook.LaborRateDraft;
import org.fieldops.api.pricebook.PartDraft;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.jobs.internal.ChangeSequencer;
import org.fieldops.jobs.internal.ChecklistRegistry;
import org.fieldops.jobs.internal.CustomerServiceImpl;
import org.fieldops.jobs.internal.EquipmentServiceImpl;
import org.fieldops.jobs.internal.MediaServiceImpl;
import org.fieldops.jobs.internal.PriceBookServiceImpl;
import org.fieldops.jobs.internal.SiteServiceImpl;
import org.fieldops.jobs.internal.TechnicianServiceImpl;
import org.fieldops.jobs.internal.WorkOrderServiceImpl;
import org.fieldops.store.Database;
import org.fieldops.store.UserAccountEntity;

/**
 * The real core services on a test database, with two technicians (anna, ben), a customer, a site
 * with a piece of equipment, and a price book; for the conflict, review and packet tests.
 */
final class SyncFixture {
  static final Caller DISPATCHER = new Caller("dora", Set.of(Role.DISPATCHER));
  static final Caller FINANCE = new Caller("fin", Set.of(Role.FINANCE));
  static final Caller ANNA = new Caller("anna", Set.of(Role.TECHNICIAN));
  static final Caller BEN = new Caller("ben", Set.of(Role.TECHNICIAN));

  final Database db;
  final WorkOrderServiceImpl jobs;
  final ConflictPolicies policies = policies();
  final SyncServiceImpl sync;
  final ReviewServiceImpl reviews;
  final PacketServiceImpl packets;
  final ChangeSequencer sequencer;
  final SiteServiceImpl sites;
  final EquipmentServiceImpl equipment;
  final PriceBookServiceImpl prices;
  final String customer;
  final String site;
  final String unit;
  final String annaTech;
  final String benTech;

  SyncFixture(Database db, Path mediaDir, Clock clock) {
    this.db = db;
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
                new CustomerDraft("Acme", null, "Jo 555-0100", new BigDecimal("0.08"), "USD"),
                DISPATCHER)
            .id();
    sites = new SiteServiceImpl(db);
    site =
        sites
            .create(
                new SiteDraft(customer, "1 Main St", 40.0, -75.5, "roof hatch 1234"), DISPATCHER)
            .id();
    equipment = new EquipmentServiceImpl(db);
    unit =
        equipment
            .create(
                new EquipmentDraft(site, "hvac.rtu", "Carrier", "48TC", "SN-1", null), DISPATCHER)
            .id();
    prices = new PriceBookServiceImpl(db);
    prices.createLaborRate(
        new LaborRateDraft("STD", "Standard hour", new BigDecimal("90.00"), "USD", null), FINANCE);
    prices.createPart(
        new PartDraft("FILTER-20", "Filter 20x20", new BigDecimal("12.50"), "USD", null), FINANCE);
    jobs =
        new WorkOrderServiceImpl(
            db,
            prices,
            new ChecklistRegistry(),
            new WorkOrderServiceImpl.Config() {
              @Override
              public String timezone() {
                return "UTC";
              }

              @Override
              public Class<? extends Annotation> annotationType() {
                return WorkOrderServiceImpl.Config.class;
              }
            });
    sync = new SyncServiceImpl(db, jobs, media(db, mediaDir), policies);
    reviews = new ReviewServiceImpl(db, jobs, clock);
    sequencer = new ChangeSequencer(db, clock, 500, Duration.ofSeconds(10));
    packets = new PacketServiceImpl(db, jobs, sequencer, clock);
  }

  static ConflictPolicies policies() {
    return new ConflictPolicies(Clock.systemUTC(), Duration.ofMillis(300));
  }

  static MediaService media(Database db, Path dir) {
    return new MediaServiceImpl(
        db,
        new MediaServiceImpl.Config() {
          @Override
          public long maxBytes() {
            return 1_000_000;
          }

          @Override
          public String directory() {
            return dir.toString();
          }

          @Override
          public int unreferencedDays() {
            return 30;
          }

          @Override
          public int purgeHour() {
            return 3;
          }

          @Override
          public Class<? extends Annotation> annotationType() {
            return MediaServiceImpl.Config.class;
          }
        });
  }

  /** A new job at the site with its unit, dispatched to the technician in the slot. */
  String jobFor(String technicianId, Instant slotStart) {
    String id =
        jobs.create(
                new WorkOrderDraft(
                    customer,
                    site,
                    List.of(unit),
                    "Rooftop unit not cooling",
                    null,
                    "hvac.repair",
                    Priority.NORMAL,
                    slotStart.minusSeconds(86_400),
                    slotStart.plusSeconds(3 * 86_400),
                    120,
                    List.of()),
                DISPATCHER)
            .id();
    JobStatus status =
        jobs.assign(
                id,
                null,
                new Assignment(List.of(technicianId), slotStart, slotStart.plusSeconds(7200)),
                DISPATCHER)
            .job()
            .status();
    assertEquals(JobStatus.DISPATCHED, status);
    return id;
  }

  /** Stamps every committed change-log row (the sequencer's work, done now). */
  void stamp() {
    while (sequencer.stamp() > 0) {
      // until nothing is left
    }
  }
}
