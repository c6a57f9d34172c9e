package org.fieldops.api;

/**
 * Which page of a list to return: at most {@code limit} items after the position named by the
 * opaque {@code cursor} (from {@link Page#nextCursor()}; {@code null} for the first page).
 */
public record PageRequest(int limit, String cursor) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (cursor != null && (cursor.isEmpty() || cursor.length() > 200)) {
      throw ValidationException.of("cursor", "is not a cursor returned by this list");
    }
  }

  /** A request from optional query parameters, with the default limit. */
  public static PageRequest of(Integer limit, String cursor) {
    return new PageRequest(limit == null ? DEFAULT_LIMIT : limit, cursor);
  }

  public static PageRequest first(int limit) {
    return new PageRequest(limit, null);
  }
}
