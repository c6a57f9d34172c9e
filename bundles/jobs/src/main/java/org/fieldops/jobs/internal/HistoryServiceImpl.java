package org.fieldops.jobs.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.persistence.EntityManager;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.jobs.HistoryEntry;
import org.fieldops.api.jobs.HistoryService;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.LineKind;
import org.fieldops.store.Database;
import org.fieldops.store.EquipmentEntity;
import org.fieldops.store.SiteEntity;
import org.fieldops.store.TechnicianEntity;
import org.fieldops.store.WorkOrderEntity;
import org.fieldops.store.support.Paging;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Site and equipment history from the job records, newest job first, keyset-paged. */
@Component(service = HistoryService.class)
public class HistoryServiceImpl implements HistoryService {
  private final Database db;
  private final JobChecklists checklists = new JobChecklists();

  @Activate
  public HistoryServiceImpl(@Reference Database db) {
    this.db = db;
  }

  @Override
  public Page<HistoryEntry> siteHistory(String siteId, PageRequest page) {
    return db.read(
        em -> {
          if (siteId == null || em.find(SiteEntity.class, siteId) == null) {
            throw new NotFoundException("site", siteId);
          }
          Page<WorkOrderEntity> jobs =
              Paging.of(em, WorkOrderEntity.class, "id")
                  .where("e.siteId = :site", "site", siteId)
                  .newestFirst()
                  .page(page, WorkOrderEntity::getId, e -> e);
          return entries(em, jobs, false);
        });
  }

  @Override
  public Page<HistoryEntry> equipmentHistory(String equipmentId, PageRequest page) {
    return db.read(
        em -> {
          if (equipmentId == null || em.find(EquipmentEntity.class, equipmentId) == null) {
            throw new NotFoundException("equipment", equipmentId);
          }
          Page<WorkOrderEntity> jobs =
              Paging.of(em, WorkOrderEntity.class, "id")
                  .where(
                      "e.id IN (SELECT x.jobId FROM JobEquipmentEntity x WHERE x.equipmentId = :eq)",
                      "eq",
                      equipmentId)
                  .newestFirst()
                  .page(page, WorkOrderEntity::getId, e -> e);
          return entries(em, jobs, true);
        });
  }

  private Page<HistoryEntry> entries(
      EntityManager em, Page<WorkOrderEntity> jobs, boolean details) {
    Set<String> techIds = new HashSet<>();
    jobs.items().forEach(j -> techIds.addAll(WorkOrders.split(j.technicianIds)));
    Map<String, String> names = new HashMap<>();
    if (!techIds.isEmpty()) {
      em.createQuery("SELECT t FROM TechnicianEntity t WHERE t.id IN :ids", TechnicianEntity.class)
          .setParameter("ids", new ArrayList<>(techIds))
          .getResultList()
          .forEach(t -> names.put(t.getId(), t.name));
    }
    Map<String, List<JobLine>> lines =
        details
            ? JobLines.byJob(em, jobs.items().stream().map(WorkOrderEntity::getId).toList())
            : Map.of();
    List<HistoryEntry> out = new ArrayList<>();
    for (WorkOrderEntity j : jobs.items()) {
      List<String> techs = WorkOrders.split(j.technicianIds);
      Instant when =
          j.slotStart != null
              ? j.slotStart
              : j.windowStart != null ? j.windowStart : j.getCreatedAt();
      out.add(
          new HistoryEntry(
              j.getId(),
              j.title,
              j.type,
              WorkOrders.status(j),
              when,
              techs,
              techs.stream().map(t -> names.getOrDefault(t, t)).toList(),
              details ? checklists.of(em, j.getId()) : List.of(),
              details
                  ? lines.getOrDefault(j.getId(), List.of()).stream()
                      .filter(l -> l.kind() == LineKind.PART)
                      .toList()
                  : List.of()));
    }
    return new Page<>(out, jobs.nextCursor());
  }
}
