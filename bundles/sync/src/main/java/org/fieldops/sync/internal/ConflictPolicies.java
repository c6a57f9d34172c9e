package org.fieldops.sync.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fieldops.spi.conflict.ConflictPolicy;
import org.fieldops.spi.conflict.Decision;
import org.fieldops.spi.conflict.FieldConflict;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conflict policies in {@code service.ranking} order, each called on its own small pool with a
 * time bound and a circuit breaker, then the built-in default policy. Never called while the ingest
 * holds database locks.
 */
final class ConflictPolicies {
  private static final Logger LOG = LoggerFactory.getLogger(ConflictPolicies.class);
  static final String DEFAULT_NAME = "default";
  static final Duration TIME_BOUND = Duration.ofMillis(500);
  static final int FAILURES_TO_OPEN = 5;
  static final Duration OPEN_FOR = Duration.ofSeconds(60);

  /** What was decided, and by whom. */
  record Decided(String policy, Decision decision) {}

  private final List<Registered> policies = new CopyOnWriteArrayList<>();
  private final Clock clock;
  private final Duration timeBound;

  ConflictPolicies(Clock clock, Duration timeBound) {
    this.clock = clock;
    this.timeBound = timeBound;
  }

  void add(ConflictPolicy policy, Map<String, Object> props) {
    policies.add(new Registered(policy, props));
    List<Registered> sorted = new ArrayList<>(policies);
    sorted.sort(Registered.ORDER);
    policies.clear();
    policies.addAll(sorted);
  }

  void remove(ConflictPolicy policy) {
    for (Registered r : policies) {
      if (r.policy == policy) {
        policies.remove(r);
        r.pool.shutdownNow();
      }
    }
  }

  void close() {
    policies.forEach(r -> r.pool.shutdownNow());
    policies.clear();
  }

  /** Asks the policies in order; the default policy decides last. */
  Decided decide(FieldConflict conflict) {
    for (Registered r : policies) {
      Decision d = r.ask(conflict);
      if (d != null) {
        return new Decided(r.name, d);
      }
    }
    return new Decided(DEFAULT_NAME, defaultDecision(conflict));
  }

  /** The built-in policy: equal values need nothing; anything else is for the office. */
  static Decision defaultDecision(FieldConflict c) {
    return Objects.equals(norm(c.serverValue()), norm(c.deviceValue()))
        ? Decision.keepServer()
        : Decision.review();
  }

  private static String norm(String v) {
    return v == null || v.isBlank() ? "" : v.strip();
  }

  /** The state of each policy, for the plugins listing. */
  List<Map<String, Object>> describe() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Registered r : policies) {
      out.add(
          Map.of(
              "name",
              r.name,
              "bundle",
              r.bundle,
              "state",
              r.failing() ? "FAILING" : "ACTIVE",
              "lastError",
              r.lastError == null ? "" : r.lastError));
    }
    return out;
  }

  private final class Registered {
    static final Comparator<Registered> ORDER =
        Comparator.comparingInt((Registered r) -> -r.ranking).thenComparingLong(r -> r.serviceId);

    final ConflictPolicy policy;
    final String name;
    final String bundle;
    final int ranking;
    final long serviceId;
    final ThreadPoolExecutor pool;
    int consecutiveFailures;
    Instant openUntil;
    volatile String lastError;

    Registered(ConflictPolicy policy, Map<String, Object> props) {
      this.policy = policy;
      Object n = props.get(ConflictPolicy.NAME);
      this.name = n instanceof String s && !s.isBlank() ? s : policy.getClass().getName();
      Bundle b = FrameworkUtil.getBundle(policy.getClass());
      this.bundle = b == null ? "(none)" : b.getSymbolicName() + " " + b.getVersion();
      this.ranking = props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
      this.serviceId = props.get(Constants.SERVICE_ID) instanceof Long l ? l : Long.MAX_VALUE;
      this.pool =
          new ThreadPoolExecutor(
              1,
              2,
              30,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(16),
              r -> {
                Thread t = new Thread(r, "fieldops-policy-" + name);
                t.setDaemon(true);
                return t;
              },
              new ThreadPoolExecutor.AbortPolicy());
    }

    synchronized boolean failing() {
      return openUntil != null && clock.instant().isBefore(openUntil);
    }

    /** The policy's decision, or null when it passes, fails, hangs or its breaker is open. */
    Decision ask(FieldConflict conflict) {
      if (failing()) {
        return null;
      }
      Future<Decision> f;
      try {
        f = pool.submit(() -> policy.decide(conflict));
      } catch (RejectedExecutionException busy) {
        failed("busy (calls still running past the time bound)", null);
        return null;
      }
      try {
        Decision d = f.get(timeBound.toMillis(), TimeUnit.MILLISECONDS);
        if (d != null && d.kind() == Decision.Kind.MERGE && d.value().length() > 10_000) {
          failed("MERGE value longer than 10,000 characters", null);
          return null;
        }
        succeeded();
        return d;
      } catch (TimeoutException slow) {
        f.cancel(true);
        failed("no answer within " + timeBound.toMillis() + " ms", null);
      } catch (ExecutionException threw) {
        failed(String.valueOf(threw.getCause()), threw.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }

    private synchronized void succeeded() {
      consecutiveFailures = 0;
      openUntil = null;
    }

    private synchronized void failed(String why, Throwable cause) {
      lastError = why;
      consecutiveFailures++;
      LOG.warn(
          "Conflict policy {} from bundle {} failed ({} in a row); counted as passing: {}",
          name,
          bundle,
          consecutiveFailures,
          why,
          cause);
      if (consecutiveFailures >= FAILURES_TO_OPEN) {
        openUntil = clock.instant().plus(OPEN_FOR);
        LOG.warn(
            "Conflict policy {} skipped for {} s after repeated failures",
            name,
            OPEN_FOR.toSeconds());
      }
    }
  }
}
