package org.fieldops.jobs.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.persistence.EntityManager;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.master.Site;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.api.master.SiteService;
import org.fieldops.store.CustomerEntity;
import org.fieldops.store.Database;
import org.fieldops.store.SiteEntity;
import org.fieldops.store.support.Checks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = SiteService.class)
public class SiteServiceImpl extends MasterDataSupport<Site, SiteDraft, SiteEntity>
    implements SiteService {

  @Activate
  public SiteServiceImpl(@Reference Database db) {
    this(db, Clock.systemUTC());
  }

  SiteServiceImpl(Database db, Clock clock) {
    super(db, clock, "site", SiteDraft.class, SiteEntity.class, Set.of("customerId"));
  }

  @Override
  public Page<Site> list(String customerId, PageRequest page) {
    Map<String, Object> equals = new HashMap<>();
    if (customerId != null) {
      equals.put("customerId", customerId);
    }
    return list(equals, page);
  }

  @Override
  void validate(EntityManager em, SiteDraft d, SiteEntity existing) {
    Checks checks =
        new Checks()
            .text("customerId", d.customerId(), true, 36)
            .text("address", d.address(), true, Checks.TEXT_MAX)
            .text("accessNotes", d.accessNotes(), false, Checks.TEXT_MAX);
    if (!checks.hasErrorOn("customerId") && existing == null) {
      checks.check(
          em.find(CustomerEntity.class, d.customerId()) != null, "customerId", "no such customer");
    }
    checks.check(
        (d.latitude() == null) == (d.longitude() == null),
        "longitude",
        "latitude and longitude go together");
    if (d.latitude() != null) {
      checks.check(Math.abs(d.latitude()) <= 90, "latitude", "must be between -90 and 90");
    }
    if (d.longitude() != null) {
      checks.check(Math.abs(d.longitude()) <= 180, "longitude", "must be between -180 and 180");
    }
    checks.throwIfAny();
  }

  @Override
  SiteEntity newEntity() {
    return new SiteEntity();
  }

  @Override
  void write(SiteDraft d, SiteEntity e) {
    e.customerId = d.customerId();
    e.address = d.address().strip();
    e.latitude = d.latitude();
    e.longitude = d.longitude();
    e.accessNotes = d.accessNotes();
  }

  @Override
  SiteDraft toDraft(SiteEntity e) {
    return new SiteDraft(e.customerId, e.address, e.latitude, e.longitude, e.accessNotes);
  }

  @Override
  Site toRecord(SiteEntity e) {
    return new Site(
        e.getId(),
        e.customerId,
        e.address,
        e.latitude,
        e.longitude,
        e.accessNotes,
        e.getVersion(),
        e.getCreatedAt(),
        e.getUpdatedAt());
  }

  @Override
  java.util.List<org.fieldops.store.WorkOrderEntity> dependentJobs(
      javax.persistence.EntityManager em, SiteEntity site) {
    return lockJobs(
        em,
        em.createQuery(
                "SELECT j.id FROM WorkOrderEntity j WHERE j.siteId = :site AND j.status IN :open",
                String.class)
            .setParameter("site", site.getId())
            .setParameter("open", OPEN_ON_PHONES)
            .getResultList());
  }
}
