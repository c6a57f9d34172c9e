package org.fieldops.api.platform;

import java.time.Instant;
import java.util.Objects;

/**
 * One installed plugin service (an implementation of one of the three SPIs) as the platform sees
 * it.
 *
 * @param kind which SPI it implements
 * @param name how the platform names it: the policy's {@code fieldops.policy.name}, the connector's
 *     {@code fieldops.connector.name}, or for a checklist provider its bundle's symbolic name (plus
 *     {@code /<service.pid>} when it has one)
 * @param bundle the symbolic name of the bundle that registered it
 * @param version that bundle's version
 * @param ranking its {@code service.ranking} (0 when not set)
 * @param state ACTIVE or FAILING
 * @param lastError the last failure (kept after it recovers), or {@code null} if it never failed
 * @param lastErrorAt when that failure happened, or {@code null}
 * @param consecutiveFailures failures since its last successful call
 * @param openUntil while its circuit breaker is open (calls skipped), until when; else {@code null}
 * @param selected for accounting connectors, whether configuration selects it (only the selected
 *     connector is called); checklist providers and conflict policies are all asked, so {@code
 *     true}
 */
public record PluginInfo(
    PluginKind kind,
    String name,
    String bundle,
    String version,
    int ranking,
    PluginState state,
    String lastError,
    Instant lastErrorAt,
    int consecutiveFailures,
    Instant openUntil,
    boolean selected) {
  public PluginInfo {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
  }

  /** The same plugin with {@link #selected()} set. */
  public PluginInfo withSelected(boolean isSelected) {
    return new PluginInfo(
        kind,
        name,
        bundle,
        version,
        ranking,
        state,
        lastError,
        lastErrorAt,
        consecutiveFailures,
        openUntil,
        isSelected);
  }
}
