package org.fieldops.api.platform;

/** How a plugin is doing, as {@code GET /plugins} shows it. */
public enum PluginState {
  /** Installed and answering: its last call succeeded, or it has not been called yet. */
  ACTIVE,
  /**
   * Its last call failed (exception, time-out, invalid answer, pool full) or its circuit breaker is
   * open; {@link PluginInfo#lastError()} says why. A later successful call makes it ACTIVE again.
   */
  FAILING
}
