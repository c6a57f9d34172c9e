package org.fieldops.store.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.fieldops.api.platform.PluginInfo;
import org.fieldops.api.platform.PluginKind;
import org.fieldops.api.platform.PluginState;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin service as the platform calls it (ARCHITECTURE.md, "The three SPIs"): every call runs
 * on the plugin's own bounded pool, within a time bound, behind a circuit breaker. An exception, a
 * time-out, a full pool or an answer the caller {@linkplain #reject rejects} is a failure: logged
 * with the plugin's bundle, kept as its last error, and after {@link Guard#failuresToOpen} in a row
 * the plugin is skipped for {@link Guard#openFor} (FAILING in {@code GET /plugins}). A hung plugin
 * that ignores interruption holds at most its own threads, never the caller's.
 *
 * <p>Thread-safe. The owner closes it when the service goes away.
 */
public final class GuardedPlugin<P> {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedPlugin.class);

  /** Highest {@code service.ranking} first, then the lowest service id. */
  public static final Comparator<GuardedPlugin<?>> ORDER =
      Comparator.comparingInt((GuardedPlugin<?> g) -> -g.ranking)
          .thenComparingLong(g -> g.serviceId);

  /**
   * How one kind of plugin is guarded.
   *
   * @param kind the SPI
   * @param fallback what a failure counts as, for the log (e.g. "no templates")
   * @param timeBound how long a call may take
   * @param failuresToOpen failures in a row that open the breaker
   * @param openFor how long an open breaker skips the plugin
   * @param threads the plugin's own threads (at most)
   * @param queue calls that may wait for a thread; more are refused (a failure)
   */
  public record Guard(
      PluginKind kind,
      String fallback,
      Duration timeBound,
      int failuresToOpen,
      Duration openFor,
      int threads,
      int queue) {}

  /**
   * What one call came to: the plugin's answer, or why there is none.
   *
   * @param value the answer (may be {@code null} when the plugin returned {@code null})
   * @param failure {@code null} on success; else what went wrong
   * @param skipped whether the plugin was not called at all (breaker open)
   */
  public record Call<T>(T value, String failure, boolean skipped) {
    public boolean ok() {
      return failure == null;
    }
  }

  private final P plugin;
  private final String name;
  private final String bundle;
  private final String version;
  private final int ranking;
  private final long serviceId;
  private final Guard guard;
  private final Clock clock;
  private final ThreadPoolExecutor pool;

  private int consecutiveFailures;
  private Instant openUntil;
  private String lastError;
  private Instant lastErrorAt;

  /**
   * Guards {@code plugin}, registered with the service properties {@code props}; its bundle is the
   * one its class came from.
   */
  public GuardedPlugin(P plugin, String name, Map<String, ?> props, Guard guard, Clock clock) {
    this(plugin, name, FrameworkUtil.getBundle(plugin.getClass()), props, guard, clock);
  }

  /** As above, with the bundle given (e.g. the registering bundle of a service reference). */
  public GuardedPlugin(
      P plugin, String name, Bundle origin, Map<String, ?> props, Guard guard, Clock clock) {
    this.plugin = plugin;
    this.name = name;
    this.bundle = origin == null ? "(none)" : origin.getSymbolicName();
    this.version = origin == null ? "0.0.0" : origin.getVersion().toString();
    this.ranking = props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    this.serviceId = props.get(Constants.SERVICE_ID) instanceof Long l ? l : Long.MAX_VALUE;
    this.guard = guard;
    this.clock = clock;
    String threadName =
        switch (guard.kind()) {
              case CHECKLIST_PROVIDER -> "fieldops-checklist-";
              case CONFLICT_POLICY -> "fieldops-policy-";
              case ACCOUNTING_CONNECTOR -> "fieldops-connector-";
            }
            + name;
    this.pool =
        new ThreadPoolExecutor(
            guard.threads(),
            guard.threads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(1, guard.queue())),
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
  }

  public P plugin() {
    return plugin;
  }

  public String name() {
    return name;
  }

  /** The bundle's symbolic name, for log lines. */
  public String bundle() {
    return bundle;
  }

  /** Calls the plugin within the guard's time bound. */
  public <T> Call<T> call(Function<? super P, T> f) {
    return call(f, guard.timeBound());
  }

  /** Calls the plugin within {@code timeBound}. Never throws. */
  public <T> Call<T> call(Function<? super P, T> f, Duration timeBound) {
    if (skipping()) {
      return new Call<>(null, "skipped after repeated failures (circuit breaker open)", true);
    }
    Future<T> future;
    try {
      future = pool.submit(() -> f.apply(plugin));
    } catch (RejectedExecutionException busy) {
      return failure("busy: earlier calls still running past the time bound", null);
    }
    try {
      T value = future.get(timeBound.toMillis(), TimeUnit.MILLISECONDS);
      succeeded();
      return new Call<>(value, null, false);
    } catch (TimeoutException slow) {
      future.cancel(true);
      return failure("no answer within " + human(timeBound), null);
    } catch (ExecutionException threw) {
      return failure(String.valueOf(threw.getCause()), threw.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return new Call<>(null, "interrupted", false);
    }
  }

  /** The caller found the answer of a call invalid: counted as a failure like an exception. */
  public void reject(String why) {
    failed(why, null);
  }

  /** Whether the breaker is open: calls are skipped. */
  public synchronized boolean skipping() {
    return openUntil != null && clock.instant().isBefore(openUntil);
  }

  /** The plugin's state for {@code GET /plugins}. */
  public synchronized PluginInfo info() {
    boolean open = skipping();
    return new PluginInfo(
        guard.kind(),
        name,
        bundle,
        version,
        ranking,
        open || consecutiveFailures > 0 ? PluginState.FAILING : PluginState.ACTIVE,
        lastError,
        lastErrorAt,
        consecutiveFailures,
        open ? openUntil : null,
        true);
  }

  /** Stops the plugin's threads (interrupting calls still running). */
  public void close() {
    pool.shutdownNow();
  }

  private <T> Call<T> failure(String why, Throwable cause) {
    failed(why, cause);
    return new Call<>(null, why, false);
  }

  private synchronized void succeeded() {
    consecutiveFailures = 0;
    openUntil = null;
  }

  private synchronized void failed(String why, Throwable cause) {
    lastError = why;
    lastErrorAt = clock.instant();
    consecutiveFailures++;
    LOG.warn(
        "{} {} from bundle {} {} failed ({} in a row); counted as {}: {}",
        label(),
        name,
        bundle,
        version,
        consecutiveFailures,
        guard.fallback(),
        why,
        cause);
    if (consecutiveFailures >= guard.failuresToOpen() && openUntil == null) {
      openUntil = clock.instant().plus(guard.openFor());
      LOG.warn(
          "{} {} from bundle {} skipped for {} s after {} failures in a row",
          label(),
          name,
          bundle,
          guard.openFor().toSeconds(),
          consecutiveFailures);
    } else if (openUntil != null && !clock.instant().isBefore(openUntil)) {
      // half-open: the trial call after the pause failed too
      openUntil = clock.instant().plus(guard.openFor());
    }
  }

  private static String human(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private String label() {
    return switch (guard.kind()) {
      case CHECKLIST_PROVIDER -> "Checklist provider";
      case CONFLICT_POLICY -> "Conflict policy";
      case ACCOUNTING_CONNECTOR -> "Accounting connector";
    };
  }
}
