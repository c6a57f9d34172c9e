package org.fieldops.sync.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fieldops.api.platform.PluginInfo;
import org.fieldops.api.platform.PluginKind;
import org.fieldops.api.platform.PluginState;
import org.fieldops.spi.conflict.ConflictPolicy;
import org.fieldops.spi.conflict.Decision;
import org.fieldops.spi.conflict.FieldConflict;
import org.fieldops.store.support.GuardedPlugin;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The conflict policies in {@code service.ranking} order, each called on its own small pool with a
 * time bound and a circuit breaker, then the built-in default policy. Never called while the ingest
 * holds database locks.
 */
final class ConflictPolicies {
  static final String DEFAULT_NAME = "default";
  static final Duration TIME_BOUND = Duration.ofMillis(500);
  static final int FAILURES_TO_OPEN = 5;
  static final Duration OPEN_FOR = Duration.ofSeconds(60);

  /** What was decided, and by whom. */
  record Decided(String policy, Decision decision) {}

  private final List<GuardedPlugin<ConflictPolicy>> policies = new CopyOnWriteArrayList<>();
  private final Clock clock;
  private final GuardedPlugin.Guard guard;

  ConflictPolicies(Clock clock, Duration timeBound) {
    this.clock = clock;
    this.guard =
        new GuardedPlugin.Guard(
            PluginKind.CONFLICT_POLICY, "passing", timeBound, FAILURES_TO_OPEN, OPEN_FOR, 2, 16);
  }

  synchronized void add(ConflictPolicy policy, Map<String, Object> props) {
    Object n = props.get(ConflictPolicy.NAME);
    String name = n instanceof String s && !s.isBlank() ? s : policy.getClass().getName();
    List<GuardedPlugin<ConflictPolicy>> sorted = new ArrayList<>(policies);
    sorted.add(new GuardedPlugin<>(policy, name, props, guard, clock));
    sorted.sort(GuardedPlugin.ORDER);
    policies.clear();
    policies.addAll(sorted);
  }

  synchronized void remove(ConflictPolicy policy) {
    for (GuardedPlugin<ConflictPolicy> g : policies) {
      if (g.plugin() == policy) {
        policies.remove(g);
        g.close();
      }
    }
  }

  synchronized void close() {
    policies.forEach(GuardedPlugin::close);
    policies.clear();
  }

  /** Asks the policies in order; the default policy decides last. */
  Decided decide(FieldConflict conflict) {
    for (GuardedPlugin<ConflictPolicy> g : policies) {
      GuardedPlugin.Call<Decision> call = g.call(p -> p.decide(conflict));
      Decision d = call.value();
      if (!call.ok() || d == null) {
        continue;
      }
      if (d.kind() == Decision.Kind.MERGE && d.value().length() > 10_000) {
        g.reject("MERGE value longer than 10,000 characters");
        continue;
      }
      return new Decided(g.name(), d);
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

  /** The policies in the order they are asked, the built-in default last (for GET /plugins). */
  List<PluginInfo> plugins() {
    List<PluginInfo> out = new ArrayList<>();
    policies.forEach(g -> out.add(g.info()));
    Bundle own = FrameworkUtil.getBundle(ConflictPolicies.class);
    out.add(
        new PluginInfo(
            PluginKind.CONFLICT_POLICY,
            DEFAULT_NAME,
            own == null ? "org.fieldops.sync" : own.getSymbolicName(),
            own == null ? "0.0.0" : own.getVersion().toString(),
            Integer.MIN_VALUE,
            PluginState.ACTIVE,
            null,
            null,
            0,
            null,
            true));
    return out;
  }
}
