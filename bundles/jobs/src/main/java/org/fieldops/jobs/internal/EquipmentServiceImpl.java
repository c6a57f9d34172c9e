package org.fieldops.jobs.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.master.Equipment;
import org.fieldops.api.master.EquipmentDraft;
import org.fieldops.api.master.EquipmentService;
import org.fieldops.store.Database;
import org.fieldops.store.EquipmentEntity;
import org.fieldops.store.SiteEntity;
import org.fieldops.store.support.Checks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = EquipmentService.class)
public class EquipmentServiceImpl
    extends MasterDataSupport<Equipment, EquipmentDraft, EquipmentEntity>
    implements EquipmentService {
  /** Dotted lower-case segments, e.g. {@code hvac.rooftop}. */
  static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9][a-z0-9_-]*)*");

  @Activate
  public EquipmentServiceImpl(@Reference Database db) {
    this(db, Clock.systemUTC());
  }

  EquipmentServiceImpl(Database db, Clock clock) {
    super(db, clock, "equipment", EquipmentDraft.class, EquipmentEntity.class, Set.of());
  }

  @Override
  public Page<Equipment> list(String siteId, PageRequest page) {
    Map<String, Object> equals = new HashMap<>();
    if (siteId != null) {
      equals.put("siteId", siteId);
    }
    return list(equals, page);
  }

  @Override
  void validate(EntityManager em, EquipmentDraft d, EquipmentEntity existing) {
    Checks checks =
        new Checks()
            .text("siteId", d.siteId(), true, 36)
            .text("type", d.type(), true, Checks.NAME_MAX)
            .text("make", d.make(), false, Checks.NAME_MAX)
            .text("model", d.model(), false, Checks.NAME_MAX)
            .text("serialNumber", d.serialNumber(), false, Checks.NAME_MAX);
    if (!checks.hasErrorOn("siteId")) {
      checks.check(em.find(SiteEntity.class, d.siteId()) != null, "siteId", "no such site");
    }
    if (!checks.hasErrorOn("type")) {
      checks.check(
          TYPE.matcher(d.type()).matches(),
          "type",
          "must be dotted lower-case words, e.g. hvac.rooftop");
    }
    checks.throwIfAny();
  }

  @Override
  EquipmentEntity newEntity() {
    return new EquipmentEntity();
  }

  @Override
  void write(EquipmentDraft d, EquipmentEntity e) {
    e.siteId = d.siteId();
    e.type = d.type();
    e.make = d.make();
    e.model = d.model();
    e.serialNumber = d.serialNumber();
    e.installedOn = d.installedOn();
  }

  @Override
  EquipmentDraft toDraft(EquipmentEntity e) {
    return new EquipmentDraft(e.siteId, e.type, e.make, e.model, e.serialNumber, e.installedOn);
  }

  @Override
  Equipment toRecord(EquipmentEntity e) {
    return new Equipment(
        e.getId(),
        e.siteId,
        e.type,
        e.make,
        e.model,
        e.serialNumber,
        e.installedOn,
        e.getVersion(),
        e.getCreatedAt(),
        e.getUpdatedAt());
  }

  @Override
  java.util.List<org.fieldops.store.WorkOrderEntity> dependentJobs(
      javax.persistence.EntityManager em, EquipmentEntity equipment) {
    return lockJobs(
        em,
        em.createQuery(
                "SELECT j.id FROM JobEquipmentEntity je, WorkOrderEntity j WHERE je.jobId = j.id "
                    + "AND je.equipmentId = :eq AND j.status IN :open",
                String.class)
            .setParameter("eq", equipment.getId())
            .setParameter("open", OPEN_ON_PHONES)
            .getResultList());
  }
}
