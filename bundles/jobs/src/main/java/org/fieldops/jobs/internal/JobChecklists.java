package org.fieldops.jobs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManager;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.jobs.ChecklistAnswer;
import org.fieldops.api.jobs.JobChecklist;
import org.fieldops.jobs.internal.ChecklistRegistry.Contributed;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ChecklistTemplate;
import org.fieldops.store.ChecklistAnswerEntity;
import org.fieldops.store.Ids;
import org.fieldops.store.JobChecklistEntity;
import org.fieldops.store.support.JsonSupport;

/** Checklists on jobs: fixing templates at dispatch, storing answers, reading both back. */
final class JobChecklists {
  private final ObjectMapper json = JsonSupport.strictMapper();

  /** The most a stored template definition may take (its column's size). */
  static final int MAX_DEFINITION = 32_000;

  /**
   * Stores the contributed templates on the job, in order. A template too large to store is left
   * out and logged (a provider never stops a dispatch).
   */
  void fix(EntityManager em, String jobId, List<Contributed> templates) {
    int position = 0;
    for (Contributed c : templates) {
      String definition = write(c.template());
      if (definition.length() > MAX_DEFINITION) {
        org.slf4j.LoggerFactory.getLogger(JobChecklists.class)
            .warn(
                "Checklist template {} from {} is too large ({} characters, at most {}); left out of job {}",
                c.template().id(),
                c.provider(),
                definition.length(),
                MAX_DEFINITION,
                jobId);
        continue;
      }
      JobChecklistEntity e = new JobChecklistEntity();
      e.jobId = jobId;
      e.templateId = c.template().id();
      e.templateVersion = c.template().version();
      e.provider = c.provider();
      e.position = position++;
      e.definition = definition;
      em.persist(e);
    }
  }

  /** A fixed template of the job, with the provider that contributed it. */
  record Fixed(ChecklistTemplate template, String provider) {
    ChecklistItem item(String itemId) {
      return template.items().stream()
          .filter(i -> i.id().equals(itemId))
          .findFirst()
          .orElseThrow(() -> new NotFoundException("checklist item", template.id() + "/" + itemId));
    }
  }

  Fixed fixed(EntityManager em, String jobId, String templateId) {
    JobChecklistEntity.Key key = new JobChecklistEntity.Key();
    key.jobId = jobId;
    key.templateId = templateId;
    JobChecklistEntity e = templateId == null ? null : em.find(JobChecklistEntity.class, key);
    if (e == null) {
      throw new NotFoundException("checklist", templateId);
    }
    return new Fixed(read(e.definition), e.provider);
  }

  void answer(
      EntityManager em,
      String jobId,
      String templateId,
      String itemId,
      Object value,
      String by,
      Instant at) {
    ChecklistAnswerEntity a = new ChecklistAnswerEntity();
    a.id = Ids.next();
    a.jobId = jobId;
    a.templateId = templateId;
    a.itemId = itemId;
    a.answer = write(value);
    a.answeredAt = at;
    a.answeredBy = by;
    em.persist(a);
  }

  /** The job's checklists with the newest answer per item and the required items still open. */
  List<JobChecklist> of(EntityManager em, String jobId) {
    return ofAll(em, List.of(jobId)).getOrDefault(jobId, List.of());
  }

  /** The checklists of several jobs in two queries per 500 jobs. */
  Map<String, List<JobChecklist>> ofAll(EntityManager em, java.util.Collection<String> jobIds) {
    Map<String, List<JobChecklist>> out = new HashMap<>();
    List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(jobIds));
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      List<JobChecklistEntity> rows =
          em.createQuery(
                  "SELECT c FROM JobChecklistEntity c WHERE c.jobId IN :jobs ORDER BY c.jobId, c.position",
                  JobChecklistEntity.class)
              .setParameter("jobs", chunk)
              .getResultList();
      if (rows.isEmpty()) {
        continue;
      }
      Map<String, Map<String, Map<String, ChecklistAnswer>>> latest = new HashMap<>();
      for (ChecklistAnswerEntity a :
          em.createQuery(
                  "SELECT a FROM ChecklistAnswerEntity a WHERE a.jobId IN :jobs ORDER BY a.id",
                  ChecklistAnswerEntity.class)
              .setParameter("jobs", chunk)
              .getResultList()) {
        latest
            .computeIfAbsent(a.jobId, k -> new HashMap<>())
            .computeIfAbsent(a.templateId, k -> new LinkedHashMap<>())
            .put(
                a.itemId,
                new ChecklistAnswer(a.itemId, readValue(a.answer), a.answeredAt, a.answeredBy));
      }
      for (JobChecklistEntity row : rows) {
        ChecklistTemplate t = read(row.definition);
        Map<String, ChecklistAnswer> answers =
            latest.getOrDefault(row.jobId, Map.of()).getOrDefault(t.id(), Map.of());
        List<String> missing =
            t.items().stream()
                .filter(i -> i.required() && !answers.containsKey(i.id()))
                .map(ChecklistItem::id)
                .toList();
        out.computeIfAbsent(row.jobId, k -> new ArrayList<>())
            .add(new JobChecklist(t, row.provider, new ArrayList<>(answers.values()), missing));
      }
    }
    return out;
  }

  /** {@code templateId/itemId} of every required item without an answer. */
  List<String> missing(EntityManager em, String jobId) {
    List<String> out = new ArrayList<>();
    for (JobChecklist c : of(em, jobId)) {
      c.missing().forEach(item -> out.add(c.template().id() + "/" + item));
    }
    return out;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ChecklistTemplate read(String definition) {
    try {
      return json.readValue(definition, ChecklistTemplate.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored checklist unreadable", e);
    }
  }

  private Object readValue(String answer) {
    try {
      Object v = json.readValue(answer, Object.class);
      // numbers come back as decimals whatever their JSON form (42 and 42.5 alike)
      return v instanceof Number n ? new BigDecimal(n.toString()) : v;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored answer unreadable", e);
    }
  }
}
