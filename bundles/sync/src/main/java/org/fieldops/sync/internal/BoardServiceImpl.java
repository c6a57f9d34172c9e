package org.fieldops.sync.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.persistence.EntityManager;
import org.fieldops.api.PageRequest;
import org.fieldops.api.board.Board;
import org.fieldops.api.board.BoardJob;
import org.fieldops.api.board.BoardService;
import org.fieldops.api.board.BoardTechnician;
import org.fieldops.api.jobs.ChangeLog;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.JobQuery;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.store.Database;
import org.fieldops.store.TechnicianEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The dispatch board: the day's jobs through the job service, and per technician the sync state the
 * sync records hold (last upload of their devices, open reviews, unacknowledged rejections), a
 * handful of grouped queries in all.
 */
@Component(service = BoardService.class, configurationPid = "org.fieldops.board")
@Designate(ocd = BoardServiceImpl.Config.class)
public class BoardServiceImpl implements BoardService {
  /** Statuses of an unassigned job without a window that still waits for the office. */
  private static final Set<JobStatus> OPEN_UNDATED =
      Set.of(JobStatus.NEW, JobStatus.SCHEDULED, JobStatus.ON_HOLD);

  @ObjectClassDefinition(name = "FieldOps dispatch board", description = "The office's live board")
  public @interface Config {
    @AttributeDefinition(
        description =
            "Minutes without an upload after which a technician is shown as stale (default 30)")
    int staleAfterMinutes() default 30;
  }

  private final Database db;
  private final JobService jobs;
  private final ChangeLog changes;
  private final Clock clock;
  private volatile int staleAfterMinutes = 30;

  @Activate
  public BoardServiceImpl(
      @Reference Database db,
      @Reference JobService jobs,
      @Reference ChangeLog changes,
      Config config) {
    this(db, jobs, changes, Clock.systemUTC());
    configure(config);
  }

  BoardServiceImpl(Database db, JobService jobs, ChangeLog changes, Clock clock) {
    this.db = db;
    this.jobs = jobs;
    this.changes = changes;
    this.clock = clock;
  }

  @Modified
  void configure(Config config) {
    staleAfterMinutes = Math.max(1, config.staleAfterMinutes());
  }

  void staleAfterMinutes(int minutes) {
    staleAfterMinutes = Math.max(1, minutes);
  }

  @Override
  public Board board(LocalDate date) {
    long cursor = changes.head();
    Instant now = clock.instant();
    int staleMinutes = staleAfterMinutes;
    List<WorkOrder> day = all(new JobQuery(null, null, date, null));
    List<WorkOrder> undated = new ArrayList<>();
    for (JobStatus s : OPEN_UNDATED) {
      for (WorkOrder w : all(new JobQuery(s, null, null, null))) {
        if (w.windowStart() == null && !w.assignment().hasTechnicians()) {
          undated.add(w);
        }
      }
    }
    return db.read(
        em -> {
          Map<String, String[]> places = places(em, day, undated);
          Map<String, List<BoardJob>> byTechnician = new HashMap<>();
          List<BoardJob> unassigned = new ArrayList<>();
          for (WorkOrder w : day) {
            BoardJob job = toBoardJob(w, places);
            if (w.assignment().hasTechnicians()) {
              for (String t : w.assignment().technicianIds()) {
                byTechnician.computeIfAbsent(t, k -> new ArrayList<>()).add(job);
              }
            } else {
              unassigned.add(job);
            }
          }
          for (WorkOrder w : undated) {
            unassigned.add(toBoardJob(w, places));
          }
          unassigned.sort(
              Comparator.comparing(
                      BoardJob::windowStart, Comparator.nullsLast(Comparator.naturalOrder()))
                  .thenComparing(BoardJob::title));
          Map<String, Instant> lastSync =
              grouped(
                  em,
                  "SELECT d.username, MAX(d.lastUpload) FROM DeviceEntity d GROUP BY d.username");
          Map<String, Long> reviews =
              counts(
                  em,
                  "SELECT r.username, COUNT(r) FROM ReviewEntity r WHERE r.status = 'OPEN' GROUP BY r.username");
          Map<String, Long> rejections =
              counts(
                  em,
                  "SELECT e.username, COUNT(e) FROM DeviceEventEntity e WHERE e.outcome = 'REJECTED' AND e.ackAt IS NULL GROUP BY e.username");
          List<BoardTechnician> rows = new ArrayList<>();
          for (TechnicianEntity t :
              em.createQuery(
                      "SELECT t FROM TechnicianEntity t ORDER BY t.name", TechnicianEntity.class)
                  .getResultList()) {
            List<BoardJob> own = byTechnician.getOrDefault(t.getId(), List.of());
            if (!t.active && own.isEmpty()) {
              continue;
            }
            List<BoardJob> sorted = new ArrayList<>(own);
            sorted.sort(
                Comparator.comparing(
                    BoardJob::slotStart, Comparator.nullsLast(Comparator.naturalOrder())));
            Instant last = t.username == null ? null : lastSync.get(t.username);
            boolean stale =
                last == null || last.isBefore(now.minus(Duration.ofMinutes(staleMinutes)));
            rows.add(
                new BoardTechnician(
                    t.getId(),
                    t.name,
                    t.username,
                    t.active,
                    skills(t.skills),
                    last,
                    stale,
                    t.username == null ? 0 : reviews.getOrDefault(t.username, 0L),
                    t.username == null ? 0 : rejections.getOrDefault(t.username, 0L),
                    sorted));
          }
          java.time.ZoneId zone = jobs.zone();
          return new Board(
              date,
              zone.getId(),
              date.atStartOfDay(zone).toInstant(),
              date.plusDays(1).atStartOfDay(zone).toInstant(),
              cursor,
              now,
              staleMinutes,
              rows,
              unassigned);
        });
  }

  private List<WorkOrder> all(JobQuery query) {
    List<WorkOrder> out = new ArrayList<>();
    String next = null;
    do {
      org.fieldops.api.Page<WorkOrder> page =
          jobs.list(query, new PageRequest(PageRequest.MAX_LIMIT, next));
      out.addAll(page.items());
      next = page.nextCursor();
    } while (next != null);
    return out;
  }

  /** Customer names and site addresses of the jobs, by id: {customer name, site address}. */
  private static Map<String, String[]> places(
      EntityManager em, List<WorkOrder> day, List<WorkOrder> undated) {
    Set<String> customers = new java.util.HashSet<>();
    Set<String> sites = new java.util.HashSet<>();
    for (List<WorkOrder> list : List.of(day, undated)) {
      for (WorkOrder w : list) {
        customers.add(w.customerId());
        sites.add(w.siteId());
      }
    }
    Map<String, String[]> out = new HashMap<>();
    for (Object[] row :
        inChunks(em, "SELECT c.id, c.name FROM CustomerEntity c WHERE c.id IN :ids", customers)) {
      out.put("c:" + row[0], new String[] {(String) row[1]});
    }
    for (Object[] row :
        inChunks(em, "SELECT s.id, s.address FROM SiteEntity s WHERE s.id IN :ids", sites)) {
      out.put("s:" + row[0], new String[] {(String) row[1]});
    }
    return out;
  }

  private static List<Object[]> inChunks(EntityManager em, String jpql, Collection<String> ids) {
    List<String> all = new ArrayList<>(ids);
    List<Object[]> out = new ArrayList<>();
    for (int from = 0; from < all.size(); from += 500) {
      out.addAll(
          em.createQuery(jpql, Object[].class)
              .setParameter("ids", all.subList(from, Math.min(all.size(), from + 500)))
              .getResultList());
    }
    return out;
  }

  private static BoardJob toBoardJob(WorkOrder w, Map<String, String[]> places) {
    String[] customer = places.get("c:" + w.customerId());
    String[] site = places.get("s:" + w.siteId());
    String lastNote = null;
    Instant noteAt = null;
    for (JobLine note : w.notes()) {
      if (!note.voided() && (noteAt == null || !note.createdAt().isBefore(noteAt))) {
        noteAt = note.createdAt();
        lastNote = note.text();
      }
    }
    return new BoardJob(
        w.id(),
        w.title(),
        w.type(),
        w.priority(),
        w.status(),
        w.customerId(),
        customer == null ? null : customer[0],
        w.siteId(),
        site == null ? null : site[0],
        w.windowStart(),
        w.windowEnd(),
        w.assignment().start(),
        w.assignment().end(),
        w.assignment().technicianIds(),
        lastNote,
        w.version());
  }

  private static Map<String, Instant> grouped(EntityManager em, String jpql) {
    Map<String, Instant> out = new LinkedHashMap<>();
    for (Object[] row : em.createQuery(jpql, Object[].class).getResultList()) {
      if (row[1] != null) {
        out.put((String) row[0], (Instant) row[1]);
      }
    }
    return out;
  }

  private static Map<String, Long> counts(EntityManager em, String jpql) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Object[] row : em.createQuery(jpql, Object[].class).getResultList()) {
      out.put((String) row[0], ((Number) row[1]).longValue());
    }
    return out;
  }

  private static List<String> skills(String csv) {
    if (csv == null || csv.isBlank()) {
      return List.of();
    }
    return List.of(csv.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
