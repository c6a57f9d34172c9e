package org.fieldops.store.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the change sequencer of this node (jobs) that a transaction which wrote change-log rows has
 * committed, so it stamps them at once instead of at its next poll. A signal inside one node only:
 * the sequencer still polls, which is how changes committed on other nodes (or by writers that do
 * not signal) are found. The sequencer offers itself as a {@link Runnable} service with the
 * property {@value #KEY}={@value #COMMITTED}; running it only schedules a round, it never blocks.
 */
public final class ChangeSignals {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeSignals.class);
  public static final String KEY = "fieldops.signal";
  public static final String COMMITTED = "change-committed";

  private final List<Runnable> targets = new CopyOnWriteArrayList<>();

  public void add(Runnable target) {
    targets.add(target);
  }

  public void remove(Runnable target) {
    targets.remove(target);
  }

  /** After the commit; never throws (what was written is already durable). */
  public void committed() {
    for (Runnable t : targets) {
      try {
        t.run();
      } catch (RuntimeException e) {
        LOG.debug("Change signal failed: {}", e.toString());
      }
    }
  }
}
