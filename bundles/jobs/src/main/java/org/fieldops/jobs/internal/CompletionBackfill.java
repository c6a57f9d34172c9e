package org.fieldops.jobs.internal;

import java.util.List;
import org.fieldops.store.Database;
import org.fieldops.store.WorkOrderEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the upgrade to schema version 11, fills {@code FO_JOB_COMPLETION} for the jobs completed
 * before it, from their status facts, in the background (a few hundred jobs per transaction). New
 * completions write their row themselves; a job done here and by a completion at once gets the same
 * row (it is computed from the same facts). Finds nothing to do on a database that never had them.
 */
@Component(immediate = true)
public class CompletionBackfill {
  private static final Logger LOG = LoggerFactory.getLogger(CompletionBackfill.class);
  static final int BATCH = 200;

  private final Database db;
  private final Thread worker;
  private volatile boolean stopped;

  @Activate
  public CompletionBackfill(@Reference Database db) {
    this.db = db;
    this.worker = new Thread(this::run, "fieldops-completion-backfill");
    worker.setDaemon(true);
    worker.start();
  }

  @Deactivate
  void deactivate() {
    stopped = true;
    worker.interrupt();
  }

  private void run() {
    try {
      int done = fill(db, () -> stopped);
      if (done > 0) {
        LOG.info("Report facts: {} completed jobs from before schema 11 filled in", done);
      }
    } catch (RuntimeException e) {
      LOG.warn("Report facts: filling in completed jobs stopped: {}", e.toString());
    }
  }

  /**
   * Rows for these jobs; returns how many now have one (a job without a completion fact has none).
   */
  private static int refresh(javax.persistence.EntityManager em, List<String> ids) {
    int wrote = 0;
    for (String id : ids) {
      WorkOrderEntity job = em.find(WorkOrderEntity.class, id);
      if (job != null) {
        CompletionFacts.refresh(em, job);
        em.flush();
        wrote += em.find(org.fieldops.store.JobCompletionEntity.class, id) != null ? 1 : 0;
      }
    }
    em.clear(); // keep the persistence context small
    return wrote;
  }

  /** Fills every missing row; returns how many. */
  static int fill(Database db, java.util.function.BooleanSupplier stop) {
    int done = 0;
    String after = "";
    while (!stop.getAsBoolean()) {
      String from = after;
      List<String> missing =
          db.read(
              em ->
                  em.createQuery(
                          "SELECT j.id FROM WorkOrderEntity j WHERE j.id > :after"
                              + " AND j.status IN :done AND NOT EXISTS"
                              + " (SELECT c FROM JobCompletionEntity c WHERE c.jobId = j.id)"
                              + " ORDER BY j.id",
                          String.class)
                      .setParameter("after", from)
                      .setParameter("done", List.of("COMPLETED", "INVOICED", "CLOSED"))
                      .setMaxResults(BATCH)
                      .getResultList());
      if (missing.isEmpty()) {
        break;
      }
      after = missing.get(missing.size() - 1);
      try {
        done += db.inTransaction(em -> refresh(em, missing)); // a batch per transaction
      } catch (RuntimeException raced) {
        // a completion wrote one of these rows meanwhile: one transaction per job instead
        for (String id : missing) {
          done += db.inTransaction(em -> refresh(em, List.of(id)));
        }
      }
    }
    return done;
  }
}
