package org.fieldops.jobs.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.master.Technician;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.master.TechnicianService;
import org.fieldops.store.Database;
import org.fieldops.store.TechnicianEntity;
import org.fieldops.store.UserAccountEntity;
import org.fieldops.store.support.Checks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = TechnicianService.class)
public class TechnicianServiceImpl
    extends MasterDataSupport<Technician, TechnicianDraft, TechnicianEntity>
    implements TechnicianService {
  static final Pattern SKILL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,49}");
  static final int MAX_SKILLS = 50;

  @Activate
  public TechnicianServiceImpl(@Reference Database db) {
    this(db, Clock.systemUTC());
  }

  TechnicianServiceImpl(Database db, Clock clock) {
    super(db, clock, "technician", TechnicianDraft.class, TechnicianEntity.class, Set.of());
  }

  @Override
  public Page<Technician> list(PageRequest page) {
    return list(Map.of(), page);
  }

  @Override
  public Optional<Technician> findByUsername(String username) {
    return db.read(
        em ->
            em
                .createQuery(
                    "SELECT t FROM TechnicianEntity t WHERE t.username = :u",
                    TechnicianEntity.class)
                .setParameter("u", username)
                .getResultList()
                .stream()
                .findFirst()
                .map(this::toRecord));
  }

  @Override
  void validate(EntityManager em, TechnicianDraft d, TechnicianEntity existing) {
    Checks checks = new Checks().text("name", d.name(), true, Checks.NAME_MAX);
    if (d.username() != null) {
      if (em.find(UserAccountEntity.class, d.username()) == null) {
        checks.add("username", "no such user");
      } else {
        List<TechnicianEntity> linked =
            em.createQuery(
                    "SELECT t FROM TechnicianEntity t WHERE t.username = :u",
                    TechnicianEntity.class)
                .setParameter("u", d.username())
                .getResultList();
        boolean taken =
            linked.stream().anyMatch(t -> existing == null || !t.getId().equals(existing.getId()));
        checks.check(!taken, "username", "is already linked to another technician");
      }
    }
    if (d.skills() != null) {
      checks.check(d.skills().size() <= MAX_SKILLS, "skills", "at most " + MAX_SKILLS + " skills");
      for (int i = 0; i < d.skills().size(); i++) {
        String skill = d.skills().get(i);
        checks.check(
            skill != null && SKILL.matcher(skill).matches(),
            "skills[" + i + "]",
            "must be a lower-case tag of letters, digits, '.', '_' or '-'");
      }
    }
    checks.throwIfAny();
  }

  @Override
  TechnicianEntity newEntity() {
    return new TechnicianEntity();
  }

  @Override
  void write(TechnicianDraft d, TechnicianEntity e) {
    e.name = d.name().strip();
    e.username = d.username();
    e.skills =
        d.skills() == null || d.skills().isEmpty()
            ? null
            : String.join(",", new LinkedHashSet<>(d.skills()));
    e.active = d.active() == null || d.active();
  }

  @Override
  TechnicianDraft toDraft(TechnicianEntity e) {
    return new TechnicianDraft(e.name, e.username, skills(e), e.active);
  }

  @Override
  Technician toRecord(TechnicianEntity e) {
    return new Technician(
        e.getId(),
        e.name,
        e.username,
        skills(e),
        e.active,
        e.getVersion(),
        e.getCreatedAt(),
        e.getUpdatedAt());
  }

  private static List<String> skills(TechnicianEntity e) {
    return e.skills == null ? List.of() : new ArrayList<>(Arrays.asList(e.skills.split(",")));
  }
}
