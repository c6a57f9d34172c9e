package org.fieldops.api.platform;

/**
 * The server's health as {@code GET /health} reports it.
 *
 * @param status {@code UP} or {@code DOWN}
 * @param database {@code UP} or {@code DOWN}
 * @param version the FieldOps version
 * @param plugins a fingerprint of the installed plugin set (same on every node with the same
 *     plugins)
 */
public record Health(String status, String database, String version, String plugins) {
  public boolean up() {
    return "UP".equals(status);
  }
}
