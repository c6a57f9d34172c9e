package org.fieldops.sync.internal;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.sync.Review;
import org.fieldops.api.sync.ReviewResolution;
import org.fieldops.api.sync.ReviewService;
import org.fieldops.store.Database;
import org.fieldops.store.RecordEntity;
import org.fieldops.store.ReviewEntity;
import org.fieldops.store.support.Paging;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The office review queue. Resolving applies the chosen value with a new version of the site or
 * equipment (or the technician's status move), audits it on the job and records a change of the
 * job, so the technician's next delta carries the result.
 */
@Component(service = ReviewService.class)
public class ReviewServiceImpl implements ReviewService {
  private static final Set<String> STATUSES = Set.of("OPEN", "RESOLVED");

  private final Database db;
  private final JobService jobs;
  private final SharedFacts facts;
  private final Clock clock;

  @Activate
  public ReviewServiceImpl(@Reference Database db, @Reference JobService jobs) {
    this(db, jobs, Clock.systemUTC());
  }

  ReviewServiceImpl(Database db, JobService jobs, Clock clock) {
    this.db = db;
    this.jobs = jobs;
    this.clock = clock;
    this.facts = new SharedFacts(db, jobs, null, clock);
  }

  @Override
  public Page<Review> list(String status, PageRequest page) {
    if (status != null && !STATUSES.contains(status)) {
      throw ValidationException.of("status", "must be OPEN or RESOLVED");
    }
    return db.read(
        em -> {
          Paging<ReviewEntity> p = Paging.of(em, ReviewEntity.class, "id");
          if (status != null) {
            p.where("e.status = :status", "status", status);
          }
          return p.page(page, r -> r.id, Reviews::toRecord);
        });
  }

  @Override
  public Review get(String id) {
    return db.read(
        em -> {
          ReviewEntity r = id == null ? null : em.find(ReviewEntity.class, id);
          if (r == null) {
            throw new NotFoundException("review", id);
          }
          return Reviews.toRecord(r);
        });
  }

  @Override
  public Review resolve(String id, ReviewResolution resolution, Caller caller) {
    String choose = resolution == null ? null : resolution.choose();
    if (choose == null || !List.of("SERVER", "DEVICE", "VALUE").contains(choose)) {
      throw ValidationException.of("choose", "must be SERVER, DEVICE or VALUE");
    }
    return db.inTransaction(
        em -> {
          ReviewEntity r = id == null ? null : em.find(ReviewEntity.class, id);
          if (r == null) {
            throw new NotFoundException("review", id);
          }
          if (!"OPEN".equals(r.status)) {
            throw new StateConflictException(
                "review " + id + " is already resolved (" + r.resolution + ")", List.of());
          }
          // the job first, as every writer of a job does (lock order), and so that its version
          // moves
          em.find(
              org.fieldops.store.WorkOrderEntity.class,
              r.jobId,
              javax.persistence.LockModeType.PESSIMISTIC_WRITE);
          String resolved;
          if ("FIELD".equals(r.kind)) {
            SharedFacts.Target t;
            try {
              t = SharedFacts.target(em, r.path, r.jobId);
            } catch (FieldEffects.Refused gone) {
              throw new StateConflictException(gone.getMessage(), List.of("SERVER"));
            }
            RecordEntity owner =
                SharedFacts.owner(em, t, javax.persistence.LockModeType.PESSIMISTIC_WRITE);
            String current = SharedFacts.valueOf(owner, t);
            switch (choose) {
              case "SERVER" -> {
                resolved = current;
                jobs.touch(r.jobId, "review kept server", r.path, current, current, caller);
              }
              case "DEVICE" -> {
                resolved = r.deviceValue;
                facts.write(
                    em, owner, t, resolved, null, caller, r.jobId, "review took device", null);
              }
              default -> {
                Object v = resolution.value();
                if (!(v instanceof String s) || s.length() > t.maxLength()) {
                  throw ValidationException.of(
                      "value", "is required: text of at most " + t.maxLength() + " characters");
                }
                resolved = s;
                facts.write(
                    em, owner, t, resolved, null, caller, r.jobId, "review set value", null);
              }
            }
          } else {
            switch (choose) {
              case "SERVER" -> {
                resolved = null;
                jobs.touch(r.jobId, "review kept server", "status", null, null, caller);
              }
              case "DEVICE" -> {
                Caller technician = new Caller(r.username, Set.of(Role.TECHNICIAN));
                try {
                  resolved =
                      jobs.moveByTechnician(r.jobId, JobStatus.valueOf(r.deviceValue), technician)
                          .status()
                          .name();
                } catch (NotFoundException notAssigned) {
                  throw new StateConflictException(
                      "the technician is no longer assigned to job "
                          + r.jobId
                          + ": assign them again first, or keep the server's state",
                      List.of("SERVER"));
                }
              }
              default -> throw ValidationException.of("choose", "VALUE is for FIELD reviews only");
            }
          }
          r.status = "RESOLVED";
          r.resolution = choose;
          r.resolvedValue = resolved;
          r.resolvedBy = caller.username();
          r.resolvedAt = clock.instant();
          em.flush();
          return Reviews.toRecord(r);
        });
  }
}
