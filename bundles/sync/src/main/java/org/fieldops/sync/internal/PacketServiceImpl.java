package org.fieldops.sync.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.persistence.EntityManager;
import org.fieldops.api.AccessDeniedException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.jobs.ChangeLog;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.pricebook.FlatRateTask;
import org.fieldops.api.pricebook.LaborRate;
import org.fieldops.api.pricebook.Part;
import org.fieldops.api.security.Caller;
import org.fieldops.api.sync.Packet;
import org.fieldops.api.sync.PacketJob;
import org.fieldops.api.sync.PacketJob.PacketCustomer;
import org.fieldops.api.sync.PacketJob.PacketEquipment;
import org.fieldops.api.sync.PacketJob.PacketSite;
import org.fieldops.api.sync.PacketJob.PastJob;
import org.fieldops.api.sync.PacketPriceBook;
import org.fieldops.api.sync.PacketService;
import org.fieldops.store.CustomerEntity;
import org.fieldops.store.Database;
import org.fieldops.store.EquipmentEntity;
import org.fieldops.store.PriceEntity;
import org.fieldops.store.SiteEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Technicians' packets. A full packet reads the technician's day through one index range
 * (assignment rows by technician and slot start) and loads everything else for those jobs in a
 * handful of batch queries; a delta reads the technician's change rows after the cursor (one index
 * range) and sends the changed jobs again, or their ids in {@code removed}. The cursor is the
 * change log's stamped head read before anything else, so a change committed meanwhile is sent
 * (again) next time, never missed.
 */
@Component(service = PacketService.class)
public class PacketServiceImpl implements PacketService {
  static final int HISTORY = 5;
  static final int HISTORY_NOTES = 3;
  private static final Set<String> FINISHED = Set.of("COMPLETED", "INVOICED", "CLOSED");

  private final Database db;
  private final JobService jobs;
  private final ChangeLog changes;
  private final Clock clock;
  private final PacketSnapshots snapshots;

  @Activate
  public PacketServiceImpl(
      @Reference Database db, @Reference JobService jobs, @Reference ChangeLog changes) {
    this(db, jobs, changes, Clock.systemUTC());
  }

  PacketServiceImpl(Database db, JobService jobs, ChangeLog changes, Clock clock) {
    this.db = db;
    this.jobs = jobs;
    this.changes = changes;
    this.clock = clock;
    this.snapshots = new PacketSnapshots(db);
  }

  @Override
  public Packet full(int days, Caller caller) {
    if (days < 1 || days > MAX_DAYS) {
      throw ValidationException.of("days", "must be between 1 and " + MAX_DAYS);
    }
    String tech = technicianOf(caller);
    LocalDate today = LocalDate.now(clock.withZone(zone()));
    if (days == 1) {
      Packet primed = snapshots.served(tech, today, priceBookFingerprint());
      if (primed != null) {
        return primed;
      }
    }
    return build(tech, today, days);
  }

  /** The full packet of {@code days} days from {@code from} for one technician. */
  Packet build(String tech, LocalDate from, int days) {
    long head = changes.head(); // first: whatever commits from now on is in the next delta
    ZoneId zone = zone();
    Instant start = from.atStartOfDay(zone).toInstant();
    Instant end = from.plusDays(days).atStartOfDay(zone).toInstant();
    List<String> ids =
        db.read(
            em ->
                em.createQuery(
                        "SELECT t.jobId FROM JobTechnicianEntity t WHERE t.technicianId = :tech "
                            + "AND t.slotStart >= :start AND t.slotStart < :end",
                        String.class)
                    .setParameter("tech", tech)
                    .setParameter("start", start)
                    .setParameter("end", end)
                    .getResultList());
    List<WorkOrder> day =
        jobs.getAll(ids).stream().filter(j -> j.status() != JobStatus.CANCELLED).toList();
    PriceBookRead book = priceBook(true);
    Map<String, Integer> route = routeOrder(tech, start, end);
    return new Packet(
        new PacketCursor(head, from, days, book.fingerprint()).encode(),
        clock.instant(),
        zone.getId(),
        from,
        from.plusDays(days - 1L),
        false,
        enrich(day, route),
        List.of(),
        book.book());
  }

  @Override
  public Packet delta(String cursor, Caller caller) {
    PacketCursor c = PacketCursor.decode(cursor);
    String tech = technicianOf(caller);
    long head = changes.head();
    ZoneId zone = zone();
    Instant start = c.from().atStartOfDay(zone).toInstant();
    Instant end = c.from().plusDays(c.days()).atStartOfDay(zone).toInstant();
    List<String> changed =
        head <= c.changeCursor()
            ? List.of()
            : db.read(
                em ->
                    em.createQuery(
                            "SELECT DISTINCT ch.jobId FROM ChangeTechnicianEntity t, ChangeEntity ch "
                                + "WHERE t.technicianId = :tech AND t.cursor > :after "
                                + "AND t.cursor <= :head AND ch.id = t.changeId",
                            String.class)
                        .setParameter("tech", tech)
                        .setParameter("after", c.changeCursor())
                        .setParameter("head", head)
                        .getResultList());
    Map<String, WorkOrder> current = new HashMap<>();
    jobs.getAll(changed).forEach(j -> current.put(j.id(), j));
    List<WorkOrder> keep = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (String id : changed) {
      WorkOrder j = current.get(id);
      boolean mine =
          j != null
              && j.status() != JobStatus.CANCELLED
              && j.assignment().technicianIds().contains(tech)
              && j.assignment().start() != null
              && !j.assignment().start().isBefore(start)
              && j.assignment().start().isBefore(end);
      if (mine) {
        keep.add(j);
      } else {
        removed.add(id);
      }
    }
    removed.sort(null);
    String fingerprint = priceBookFingerprint();
    PacketPriceBook book = fingerprint.equals(c.priceBook()) ? null : priceBook(false).book();
    return new Packet(
        new PacketCursor(Math.max(head, c.changeCursor()), c.from(), c.days(), fingerprint)
            .encode(),
        clock.instant(),
        zone.getId(),
        c.from(),
        c.from().plusDays(c.days() - 1L),
        true,
        enrich(keep, keep.isEmpty() ? Map.of() : routeOrder(tech, start, end)),
        removed,
        book);
  }

  @Override
  public PrimeReport prime(LocalDate day, Consumer<PrimeReport> progress) {
    long started = System.nanoTime();
    List<String> techs =
        db.read(
            em ->
                em.createQuery(
                        "SELECT t.id FROM TechnicianEntity t WHERE t.active = :a ORDER BY t.id",
                        String.class)
                    .setParameter("a", true)
                    .getResultList());
    int done = 0;
    int jobCount = 0;
    for (String tech : techs) {
      Packet p = build(tech, day, 1);
      snapshots.store(tech, day, p, PacketCursor.decode(p.cursor()), clock.instant());
      done++;
      jobCount += p.jobs().size();
      if (progress != null) {
        progress.accept(
            new PrimeReport(
                day, techs.size(), done, jobCount, (System.nanoTime() - started) / 1_000_000));
      }
    }
    // yesterday's and older snapshots go (never today's, whatever day was primed)
    LocalDate today = LocalDate.now(clock.withZone(zone()));
    snapshots.purgeBefore((day.isBefore(today) ? day : today).minusDays(1));
    return new PrimeReport(
        day, techs.size(), done, jobCount, (System.nanoTime() - started) / 1_000_000);
  }

  ZoneId zone() {
    return jobs.zone();
  }

  /** The active technician linked to the caller. */
  String technicianOf(Caller caller) {
    List<String> ids =
        db.read(
            em ->
                em.createQuery(
                        "SELECT t.id FROM TechnicianEntity t WHERE t.username = :u AND t.active = :a",
                        String.class)
                    .setParameter("u", caller.username())
                    .setParameter("a", true)
                    .getResultList());
    if (ids.isEmpty()) {
      throw new AccessDeniedException(
          "user " + caller.username() + " is not linked to an active technician");
    }
    return ids.get(0);
  }

  /** Customers, sites, equipment and equipment history of the jobs, a few queries in all. */
  /**
   * Each job's place in the technician's route over the whole window (1-based, by slot start), so
   * that a delta's jobs keep the numbers a full packet would give them. One index range.
   */
  private Map<String, Integer> routeOrder(String tech, Instant start, Instant end) {
    List<String> ordered =
        db.read(
            em ->
                em.createQuery(
                        "SELECT t.jobId FROM JobTechnicianEntity t, WorkOrderEntity j "
                            + "WHERE j.id = t.jobId AND t.technicianId = :tech "
                            + "AND t.slotStart >= :start AND t.slotStart < :end "
                            + "AND j.status <> 'CANCELLED' ORDER BY t.slotStart, t.jobId",
                        String.class)
                    .setParameter("tech", tech)
                    .setParameter("start", start)
                    .setParameter("end", end)
                    .getResultList());
    Map<String, Integer> out = new HashMap<>();
    for (String id : ordered) {
      out.putIfAbsent(id, out.size() + 1);
    }
    return out;
  }

  private List<PacketJob> enrich(List<WorkOrder> list, Map<String, Integer> route) {
    if (list.isEmpty()) {
      return List.of();
    }
    List<WorkOrder> sorted = new ArrayList<>(list);
    sorted.sort(
        Comparator.comparing(
                (WorkOrder j) -> j.assignment().start(),
                Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(WorkOrder::id));
    return db.read(
        em -> {
          Map<String, CustomerEntity> customers =
              byId(
                  em,
                  CustomerEntity.class,
                  sorted.stream().map(WorkOrder::customerId).toList(),
                  CustomerEntity::getId);
          Map<String, SiteEntity> sites =
              byId(
                  em,
                  SiteEntity.class,
                  sorted.stream().map(WorkOrder::siteId).toList(),
                  SiteEntity::getId);
          List<String> equipmentIds =
              sorted.stream().flatMap(j -> j.equipmentIds().stream()).distinct().toList();
          Map<String, EquipmentEntity> equipment =
              byId(em, EquipmentEntity.class, equipmentIds, EquipmentEntity::getId);
          Map<String, List<PastJob>> history = history(em, equipmentIds);
          List<PacketJob> out = new ArrayList<>();
          int order = 0;
          for (WorkOrder j : sorted) {
            CustomerEntity cu = customers.get(j.customerId());
            SiteEntity si = sites.get(j.siteId());
            List<PacketEquipment> eq = new ArrayList<>();
            for (String id : j.equipmentIds()) {
              EquipmentEntity e = equipment.get(id);
              if (e != null) {
                eq.add(
                    new PacketEquipment(
                        e.getId(),
                        e.type,
                        e.make,
                        e.model,
                        e.serialNumber,
                        e.installedOn,
                        e.getVersion(),
                        history.getOrDefault(id, List.of()).stream()
                            .filter(h -> !h.jobId().equals(j.id()))
                            .limit(HISTORY)
                            .toList()));
              }
            }
            out.add(
                new PacketJob(
                    j.id(),
                    route.getOrDefault(j.id(), ++order),
                    j.title(),
                    j.description(),
                    j.type(),
                    j.priority(),
                    j.status(),
                    j.assignment().start(),
                    j.assignment().end(),
                    j.windowStart(),
                    j.windowEnd(),
                    j.estimatedMinutes(),
                    j.assignment().technicianIds(),
                    cu == null ? null : new PacketCustomer(cu.getId(), cu.name, cu.contact),
                    si == null
                        ? null
                        : new PacketSite(
                            si.getId(),
                            si.address,
                            si.latitude,
                            si.longitude,
                            si.accessNotes,
                            navigationUrl(si.latitude, si.longitude, si.address),
                            si.getVersion()),
                    eq,
                    j.checklists(),
                    j.labor(),
                    j.parts(),
                    j.flatRateTasks(),
                    j.notes(),
                    j.version()));
          }
          return out;
        });
  }

  /** A {@code geo:} URI (RFC 5870): coordinates if known, else an address query. */
  static String navigationUrl(Double lat, Double lon, String address) {
    if (lat != null && lon != null) {
      return "geo:" + lat + "," + lon;
    }
    return "geo:0,0?q="
        + URLEncoder.encode(address == null ? "" : address, StandardCharsets.UTF_8)
            .replace("+", "%20");
  }

  /** Finished jobs at these pieces of equipment, newest first, with their last notes. */
  private static Map<String, List<PastJob>> history(EntityManager em, List<String> equipmentIds) {
    Map<String, List<PastJob>> out = new HashMap<>();
    if (equipmentIds.isEmpty()) {
      return out;
    }
    List<Object[]> rows = new ArrayList<>();
    for (List<String> chunk : chunks(equipmentIds)) {
      rows.addAll(
          em.createQuery(
                  "SELECT je.equipmentId, j.id, j.title, j.type, j.status, j.slotStart, j.updatedAt "
                      + "FROM JobEquipmentEntity je, WorkOrderEntity j WHERE je.jobId = j.id "
                      + "AND je.equipmentId IN :eq AND j.status IN :done",
                  Object[].class)
              .setParameter("eq", chunk)
              .setParameter("done", List.copyOf(FINISHED))
              .getResultList());
    }
    rows.sort(
        Comparator.comparing((Object[] r) -> (Instant) (r[5] != null ? r[5] : r[6])).reversed());
    Map<String, List<Object[]>> byEquipment = new HashMap<>();
    Set<String> pastJobs = new LinkedHashSet<>();
    for (Object[] r : rows) {
      List<Object[]> l = byEquipment.computeIfAbsent((String) r[0], k -> new ArrayList<>());
      if (l.size() <= HISTORY) {
        l.add(r);
        pastJobs.add((String) r[1]);
      }
    }
    Map<String, List<String>> notes = new HashMap<>();
    for (List<String> chunk : chunks(new ArrayList<>(pastJobs))) {
      for (Object[] n :
          em.createQuery(
                  "SELECT l.jobId, l.text FROM JobLineEntity l WHERE l.jobId IN :jobs "
                      + "AND l.kind = 'NOTE' AND l.voided = :no ORDER BY l.id DESC",
                  Object[].class)
              .setParameter("jobs", chunk)
              .setParameter("no", false)
              .getResultList()) {
        List<String> l = notes.computeIfAbsent((String) n[0], k -> new ArrayList<>());
        if (l.size() < HISTORY_NOTES) {
          l.add((String) n[1]);
        }
      }
    }
    byEquipment.forEach(
        (eq, l) ->
            out.put(
                eq,
                l.stream()
                    .map(
                        r ->
                            new PastJob(
                                (String) r[1],
                                (String) r[2],
                                (String) r[3],
                                JobStatus.valueOf((String) r[4]),
                                (Instant) (r[5] != null ? r[5] : r[6]),
                                notes.getOrDefault((String) r[1], List.of())))
                    .toList()));
    return out;
  }

  private static <E> Map<String, E> byId(
      EntityManager em, Class<E> type, Collection<String> ids, Function<E, String> idOf) {
    Map<String, E> out = new HashMap<>();
    List<String> distinct = ids.stream().filter(java.util.Objects::nonNull).distinct().toList();
    for (List<String> chunk : chunks(distinct)) {
      em.createQuery("SELECT e FROM " + type.getSimpleName() + " e WHERE e.id IN :ids", type)
          .setParameter("ids", chunk)
          .getResultList()
          .forEach(e -> out.put(idOf.apply(e), e));
    }
    return out;
  }

  private static List<List<String>> chunks(List<String> ids) {
    List<List<String>> out = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += 500) {
      out.add(ids.subList(from, Math.min(ids.size(), from + 500)));
    }
    return out;
  }

  /** The price book and its fingerprint. */
  record PriceBookRead(PacketPriceBook book, String fingerprint) {}

  /**
   * The price book: active entries for a full packet; every entry (inactive ones marked) for a
   * delta, so the device can drop what was retired.
   */
  PriceBookRead priceBook(boolean activeOnly) {
    return db.read(
        em -> {
          List<PriceEntity> all =
              em.createQuery(
                      "SELECT p FROM PriceEntity p ORDER BY p.kind, p.code", PriceEntity.class)
                  .getResultList();
          List<LaborRate> labor = new ArrayList<>();
          List<Part> parts = new ArrayList<>();
          List<FlatRateTask> tasks = new ArrayList<>();
          for (PriceEntity p : all) {
            if (activeOnly && !p.active) {
              continue;
            }
            java.math.BigDecimal price = p.price.setScale(2, java.math.RoundingMode.HALF_EVEN);
            switch (p.kind) {
              case "LABOR" ->
                  labor.add(
                      new LaborRate(
                          p.code, p.name, price, p.currency, p.active, p.version, p.updatedAt));
              case "PART" ->
                  parts.add(
                      new Part(
                          p.code, p.name, price, p.currency, p.active, p.version, p.updatedAt));
              default ->
                  tasks.add(
                      new FlatRateTask(
                          p.code, p.name, price, p.currency, p.active, p.version, p.updatedAt));
            }
          }
          return new PriceBookRead(new PacketPriceBook(labor, parts, tasks), fingerprint(all));
        });
  }

  String priceBookFingerprint() {
    return db.read(
        em ->
            fingerprint(
                em.createQuery(
                        "SELECT p FROM PriceEntity p ORDER BY p.kind, p.code", PriceEntity.class)
                    .getResultList()));
  }

  private static String fingerprint(List<PriceEntity> all) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      for (PriceEntity p : all) {
        md.update(
            (p.kind + "/" + p.code + "/" + p.version + "/" + p.active + ";")
                .getBytes(StandardCharsets.UTF_8));
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(md.digest()).substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
