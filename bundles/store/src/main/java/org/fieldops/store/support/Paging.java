package org.fieldops.store.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.ValidationException;
import org.fieldops.store.Ids;

/**
 * Keyset paging over time-ordered ids: a page is {@code id > last id seen ORDER BY id} (or {@code
 * <} for newest first), so it costs the page, not the table. The cursor is the last id, opaque to
 * clients. Conditions are JPQL on the alias {@code e}.
 */
public final class Paging<E> {
  private final EntityManager em;
  private final Class<E> entity;
  private final String idField;
  private final List<String> conditions = new ArrayList<>();
  private final Map<String, Object> params = new LinkedHashMap<>();
  private boolean descending;

  private Paging(EntityManager em, Class<E> entity, String idField) {
    this.em = em;
    this.entity = entity;
    this.idField = idField;
  }

  public static <E> Paging<E> of(EntityManager em, Class<E> entity, String idField) {
    return new Paging<>(em, entity, idField);
  }

  /** Adds a JPQL condition with its named parameters (name, value, name, value…). */
  public Paging<E> where(String condition, Object... nameValues) {
    conditions.add(condition);
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      params.put((String) nameValues[i], nameValues[i + 1]);
    }
    return this;
  }

  public Paging<E> whereEquals(Map<String, Object> equals) {
    equals.forEach((field, value) -> where("e." + field + " = :" + field, field, value));
    return this;
  }

  public Paging<E> newestFirst() {
    this.descending = true;
    return this;
  }

  public <R> Page<R> page(PageRequest page, Function<E, String> idOf, Function<E, R> toRecord) {
    String after = decode(page.cursor());
    StringBuilder jpql =
        new StringBuilder("SELECT e FROM " + entity.getSimpleName() + " e WHERE 1 = 1");
    conditions.forEach(c -> jpql.append(" AND (").append(c).append(')'));
    if (after != null) {
      jpql.append(" AND e.").append(idField).append(descending ? " < :after" : " > :after");
    }
    jpql.append(" ORDER BY e.").append(idField).append(descending ? " DESC" : "");
    TypedQuery<E> query = em.createQuery(jpql.toString(), entity);
    params.forEach(query::setParameter);
    if (after != null) {
      query.setParameter("after", after);
    }
    List<E> rows = query.setMaxResults(page.limit() + 1).getResultList();
    boolean more = rows.size() > page.limit();
    List<R> items = new ArrayList<>();
    for (E row : more ? rows.subList(0, page.limit()) : rows) {
      items.add(toRecord.apply(row));
    }
    String next = more ? encode(idOf.apply(rows.get(page.limit() - 1))) : null;
    return new Page<>(items, next);
  }

  /** The equality-filtered list of the master data kinds. */
  public static <E, R> Page<R> list(
      EntityManager em,
      Class<E> entity,
      String idField,
      Map<String, Object> equals,
      PageRequest page,
      Function<E, String> idOf,
      Function<E, R> toRecord) {
    return of(em, entity, idField).whereEquals(equals).page(page, idOf, toRecord);
  }

  public static String encode(String id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(id.getBytes(StandardCharsets.UTF_8));
  }

  public static String decode(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (Ids.isWellFormed(id) || id.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw ValidationException.of("cursor", "is not a cursor returned by this list");
  }
}
