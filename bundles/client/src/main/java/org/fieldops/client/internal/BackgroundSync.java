package org.fieldops.client.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fieldops.client.FieldClient;
import org.fieldops.client.SyncException;

/**
 * The client's own sync thread: runs {@link FieldClient#syncNow} at once, again right after a
 * change is recorded (unless the last attempt failed: then the backoff decides), every poll
 * interval, and after failures with exponential backoff and full jitter (non-retryable errors wait
 * the backoff's cap). Stopped by {@link #stop}.
 */
final class BackgroundSync {
  private static final System.Logger LOG = System.getLogger("org.fieldops.client");

  private final FieldClient client;
  private final Backoff backoff;
  private final Duration cap;
  private final String name;
  private final Object lock = new Object();
  private ScheduledExecutorService executor;
  private ScheduledFuture<?> next;
  private Duration poll;
  private boolean running;
  private boolean rerun;
  private boolean failing;
  private boolean stopped;

  BackgroundSync(FieldClient client, Backoff backoff, Duration cap, String deviceId) {
    this.client = client;
    this.backoff = backoff;
    this.cap = cap;
    this.name = "fieldops-sync-" + deviceId;
  }

  void start(Duration pollInterval) {
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive");
    }
    synchronized (lock) {
      if (stopped || executor != null) {
        return;
      }
      poll = pollInterval;
      executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              });
      schedule(Duration.ZERO);
    }
  }

  /** The app asks for a sync now (network back): the backoff starts over. */
  void request() {
    synchronized (lock) {
      failing = false;
      backoff.reset();
      schedule(Duration.ZERO);
    }
  }

  /** A change was recorded: upload soon, unless the last attempt failed (the backoff waits). */
  void changeRecorded() {
    synchronized (lock) {
      if (!failing) {
        schedule(Duration.ZERO);
      }
    }
  }

  void stop() {
    ScheduledExecutorService e;
    synchronized (lock) {
      stopped = true;
      e = executor;
      if (next != null) {
        next.cancel(false);
      }
    }
    if (e == null) {
      return;
    }
    e.shutdown();
    try {
      if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
        e.shutdownNow(); // interrupts the transport's wait
        e.awaitTermination(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException interrupted) {
      e.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Runs a sync after {@code delay}, unless one is due sooner; under {@link #lock}. */
  private void schedule(Duration delay) {
    if (executor == null || stopped) {
      return;
    }
    if (running) {
      if (delay.isZero()) {
        rerun = true;
      }
      return;
    }
    if (next != null && !next.isDone()) {
      if (next.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
        return;
      }
      next.cancel(false);
    }
    next = executor.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      running = true;
      rerun = false;
      next = null;
    }
    Duration delay;
    boolean failed = false;
    try {
      client.syncNow();
      backoff.reset();
      delay = poll;
    } catch (SyncException e) {
      failed = true;
      delay = e.error().retryable() ? backoff.failure(e.error().retryAfterSeconds()) : cap;
      LOG.log(
          Level.INFO,
          "background sync failed ({0}); next try in {1} ms",
          e.getMessage(),
          delay.toMillis());
    } catch (IllegalStateException closed) {
      return; // the client was closed under us
    } catch (RuntimeException e) {
      failed = true;
      delay = backoff.failure(null);
      LOG.log(Level.ERROR, "background sync failed unexpectedly", e);
    }
    synchronized (lock) {
      running = false;
      failing = failed;
      if (rerun && !failed) {
        delay = Duration.ZERO;
      }
      schedule(delay);
    }
  }
}
