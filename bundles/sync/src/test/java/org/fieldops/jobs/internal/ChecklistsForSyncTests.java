package org.fieldops.jobs.internal;

import org.fieldops.spi.checklist.ChecklistProvider;

/** Registers a checklist provider the way the bind method would, for the sync tests. */
public final class ChecklistsForSyncTests {
  private ChecklistsForSyncTests() {}

  public static void add(ChecklistRegistry registry, ChecklistProvider provider, String name) {
    registry.add(provider, name, 0);
  }
}
