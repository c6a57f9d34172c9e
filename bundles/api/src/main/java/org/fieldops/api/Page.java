package org.fieldops.api;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items the items of this page, in the list's order
 * @param nextCursor the opaque cursor of the next page, {@code null} on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }
}
