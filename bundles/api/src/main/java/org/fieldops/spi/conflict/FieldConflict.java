package org.fieldops.spi.conflict;

import java.time.Instant;

/**
 * A shared fact that a technician's device changed while someone else changed it on the server.
 * Device clocks are data only: decide by what changed, not by {@code deviceOccurredAt}.
 *
 * @param jobId the job the device's event was recorded on
 * @param path {@code site.accessNotes}, {@code equipment/{id}.serialNumber} or {@code
 *     equipment/{id}.model}
 * @param baseValue the value the device saw before its change ({@code null}: empty)
 * @param serverValue the value on the server now
 * @param serverChangedBy who last changed the server value (a username, or {@code null} if unknown)
 * @param serverChangedAt when the server value was last changed (server clock), or {@code null}
 * @param deviceValue the value the device wants
 * @param deviceOccurredAt when the device recorded its change (device clock: informational)
 * @param deviceId the device that sent the change
 * @param technicianUsername the technician who sent it
 * @param targetId the site or equipment id the path belongs to
 * @param targetInstalledOn for equipment, the installation date if known (else {@code null})
 */
public record FieldConflict(
    String jobId,
    String path,
    String baseValue,
    String serverValue,
    String serverChangedBy,
    Instant serverChangedAt,
    String deviceValue,
    Instant deviceOccurredAt,
    String deviceId,
    String technicianUsername,
    String targetId,
    java.time.LocalDate targetInstalledOn) {

  /**
   * The field name after the last dot: {@code accessNotes}, {@code serialNumber}, {@code model}.
   */
  public String field() {
    return path.substring(path.lastIndexOf('.') + 1);
  }
}
