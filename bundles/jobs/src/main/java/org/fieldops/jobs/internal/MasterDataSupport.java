package org.fieldops.jobs.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.security.Caller;
import org.fieldops.store.ConcurrentUpdateException;
import org.fieldops.store.Database;
import org.fieldops.store.RecordEntity;
import org.fieldops.store.WorkOrderEntity;
import org.fieldops.store.support.JsonSupport;
import org.fieldops.store.support.MergePatch;
import org.fieldops.store.support.Paging;

/**
 * The create / get / merge-patch / list logic every kind of master data shares. A kind says how its
 * draft is validated, written onto the entity and read back.
 *
 * @param <R> the API record
 * @param <D> the API draft
 * @param <E> the entity
 */
abstract class MasterDataSupport<R, D, E extends RecordEntity> {
  protected final Database db;
  private final MergePatch mergePatch;
  private final Clock clock;
  private final String kind;
  private final Class<D> draftType;
  private final Class<E> entityType;
  private final Set<String> readOnly;

  MasterDataSupport(
      Database db,
      Clock clock,
      String kind,
      Class<D> draftType,
      Class<E> entityType,
      Set<String> readOnly) {
    this.db = db;
    this.mergePatch = new MergePatch(JsonSupport.strictMapper());
    this.clock = clock;
    this.kind = kind;
    this.draftType = draftType;
    this.entityType = entityType;
    this.readOnly = readOnly;
  }

  /** Checks the draft; {@code existing} is null on creation. Throws naming every bad field. */
  abstract void validate(EntityManager em, D draft, E existing);

  abstract E newEntity();

  abstract void write(D draft, E entity);

  abstract D toDraft(E entity);

  abstract R toRecord(E entity);

  /** Statuses in which a job is on a technician's phone and still worked. */
  static final List<String> OPEN_ON_PHONES =
      List.of("DISPATCHED", "EN_ROUTE", "ON_SITE", "PAUSED", "ON_HOLD");

  /**
   * The open, assigned jobs whose packets show this record, locked for writing; none by default.
   */
  List<WorkOrderEntity> dependentJobs(EntityManager em, E entity) {
    return List.of();
  }

  /** The jobs with these ids, each locked for writing, in id order (one lock order for all). */
  static List<WorkOrderEntity> lockJobs(EntityManager em, List<String> ids) {
    List<WorkOrderEntity> out = new java.util.ArrayList<>();
    for (String id : new java.util.TreeSet<>(ids)) {
      WorkOrderEntity job = em.find(WorkOrderEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
      if (job != null && OPEN_ON_PHONES.contains(job.status)) {
        out.add(job);
      }
    }
    return out;
  }

  public R create(D draft, Caller caller) {
    if (draft == null) {
      throw org.fieldops.api.ValidationException.of("body", "must be a JSON object");
    }
    return db.inTransaction(
        em -> {
          validate(em, draft, null);
          E entity = newEntity();
          write(draft, entity);
          entity.stampCreated(caller.username(), clock.instant());
          em.persist(entity);
          em.flush();
          return toRecord(entity);
        });
  }

  public R get(String id) {
    return db.read(em -> toRecord(find(em, id)));
  }

  public R update(String id, long expectedVersion, Map<String, Object> patch, Caller caller) {
    try {
      return db.inTransaction(
          em -> {
            E entity = find(em, id);
            if (entity.getVersion() != expectedVersion) {
              throw new VersionMismatchException(expectedVersion, entity.getVersion());
            }
            D current = toDraft(entity);
            D merged = mergePatch.apply(current, patch, draftType, readOnly);
            if (merged.equals(current)) {
              return toRecord(entity); // nothing changes: no new version
            }
            validate(em, merged, entity);
            // the open jobs that show this record in technicians' packets: locked first (every
            // writer of a job locks the job before anything else), changed after, so that the
            // technicians' next delta carries the new data
            List<WorkOrderEntity> jobs = dependentJobs(em, entity);
            write(merged, entity);
            Instant now = clock.instant();
            entity.stampUpdated(caller.username(), now);
            em.flush();
            for (WorkOrderEntity job : jobs) {
              job.stampUpdated(caller.username(), now);
              em.lock(job, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
              JobRecorder.record(
                  em,
                  job,
                  caller.username(),
                  now,
                  kind + " updated",
                  List.of(),
                  WorkOrders.split(job.technicianIds));
            }
            return toRecord(entity);
          });
    } catch (ConcurrentUpdateException raced) {
      long current = db.read(em -> find(em, id).getVersion());
      throw new VersionMismatchException(expectedVersion, current);
    }
  }

  Page<R> list(Map<String, Object> equals, PageRequest page) {
    return db.read(
        em -> Paging.list(em, entityType, "id", equals, page, RecordEntity::getId, this::toRecord));
  }

  E find(EntityManager em, String id) {
    E entity = id == null ? null : em.find(entityType, id);
    if (entity == null) {
      throw new NotFoundException(kind, id);
    }
    return entity;
  }
}
