package org.fieldops.sample.conflict.trusttechnician.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.fieldops.spi.conflict.ConflictPolicy;
import org.fieldops.spi.conflict.Decision;
import org.fieldops.spi.conflict.FieldConflict;
import org.osgi.service.component.annotations.Component;

/**
 * Sample {@link ConflictPolicy}: the technician standing in front of a unit reads its serial number
 * and model off the data plate, so their value beats a server value nobody has curated since the
 * unit was installed.
 *
 * <p><b>The rule.</b> For the paths {@code equipment/{id}.serialNumber} and {@code
 * equipment/{id}.model} only, and only when the device sends a non-blank value, the policy decides
 * {@link Decision.Kind#TAKE_DEVICE} if either
 *
 * <ol>
 *   <li>the server value is empty ({@code null} or blank), or
 *   <li>the server value has not changed since installation: {@code targetInstalledOn} and {@code
 *       serverChangedAt} are both known and {@code serverChangedAt} falls on or before the
 *       installation day, compared in UTC (that is, {@code serverChangedAt < targetInstalledOn + 1
 *       day at 00:00Z}): a value entered on the day of installation counts as the install-time
 *       value.
 * </ol>
 *
 * In every other case it returns {@code null} (passes), so the next policy or the built-in default
 * (office review) decides: another path (e.g. {@code site.accessNotes}), a blank device value (a
 * technician never erases a serial number through this policy), an unknown installation date or
 * change time, or a server value changed after the installation day (someone curated it since).
 *
 * <p>Caveat: the platform reports as {@code serverChangedAt} the last change of the whole equipment
 * record, not of this one field. An office edit of, say, the make after installation therefore
 * makes the policy pass on the serial number too. That errs on the side of office review.
 *
 * <p>Ranked 100, ahead of the built-in default ({@code Integer.MIN_VALUE}). Stateless and
 * allocation-light, so thread-safe and far inside the 500 ms bound.
 */
@Component(
    service = ConflictPolicy.class,
    property = {
      ConflictPolicy.NAME + "=" + TrustTechnicianPolicy.NAME,
      "service.ranking:Integer=100"
    })
public class TrustTechnicianPolicy implements ConflictPolicy {

  /** The name in results and audit entries. */
  static final String NAME = "trust-technician";

  private static final Pattern EQUIPMENT_FIELD =
      Pattern.compile("equipment/[^/.]+\\.(serialNumber|model)");

  @Override
  public Decision decide(FieldConflict conflict) {
    if (conflict.path() == null || !EQUIPMENT_FIELD.matcher(conflict.path()).matches()) {
      return null;
    }
    if (isBlank(conflict.deviceValue())) {
      return null;
    }
    if (isBlank(conflict.serverValue())
        || unchangedSinceInstall(conflict.serverChangedAt(), conflict.targetInstalledOn())) {
      return Decision.takeDevice();
    }
    return null;
  }

  /** True when the server value was last changed on or before the installation day (UTC). */
  static boolean unchangedSinceInstall(Instant serverChangedAt, LocalDate installedOn) {
    if (serverChangedAt == null || installedOn == null) {
      return false;
    }
    Instant endOfInstallDay = installedOn.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return serverChangedAt.isBefore(endOfInstallDay);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
