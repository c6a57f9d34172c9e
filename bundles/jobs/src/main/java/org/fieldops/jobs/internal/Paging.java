package org.fieldops.jobs.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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
 * Keyset paging over time-ordered ids: a page is {@code id > last id seen ORDER BY id}, so it costs
 * the page, not the table, and items created meanwhile are never skipped or repeated. The cursor is
 * the last id, opaque to clients.
 */
final class Paging {
  private Paging() {}

  static <E, R> Page<R> list(
      EntityManager em,
      Class<E> entity,
      String idField,
      Map<String, Object> equals,
      PageRequest page,
      Function<E, String> idOf,
      Function<E, R> toRecord) {
    String after = decode(page.cursor());
    StringBuilder jpql = new StringBuilder("SELECT e FROM " + entity.getSimpleName() + " e WHERE 1 = 1");
    equals.forEach((field, value) -> jpql.append(" AND e.").append(field).append(" = :").append(field));
    if (after != null) {
      jpql.append(" AND e.").append(idField).append(" > :after");
    }
    jpql.append(" ORDER BY e.").append(idField);
    TypedQuery<E> query = em.createQuery(jpql.toString(), entity);
    equals.forEach(query::setParameter);
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

  static String encode(String id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (Ids.isWellFormed(id) || id.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw ValidationException.of("cursor", "is not a cursor returned by this list");
  }
}
