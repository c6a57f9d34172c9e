package org.fieldops.sample.checklist.hvac.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.fieldops.spi.checklist.ChecklistContext;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ChecklistProvider;
import org.fieldops.spi.checklist.ChecklistTemplate;
import org.fieldops.spi.checklist.ItemType;
import org.osgi.service.component.annotations.Component;

/**
 * Sample {@link ChecklistProvider}: a rooftop-unit maintenance checklist for every job with a piece
 * of equipment of type {@code hvac} or {@code hvac.*} (e.g. {@code hvac.rooftop}), whatever the job
 * type.
 *
 * <p>The template is a constant: the platform fixes it on a job, with its version, when the job is
 * dispatched. Changing an item means raising {@link #VERSION}; jobs already dispatched keep the
 * version they got. The provider holds no state, so concurrent calls need no care.
 *
 * <p>Ranked 0, above the built-in file provider (-100): if an operator drops a template file with
 * the same id, this one wins.
 */
@Component(service = ChecklistProvider.class, property = "service.ranking:Integer=0")
public class RooftopUnitChecklistProvider implements ChecklistProvider {

  /** Unique across all providers, so it is namespaced with the sample's name. */
  static final String TEMPLATE_ID = "sample.hvac.rooftop-unit-maintenance";

  static final int VERSION = 1;

  /** The equipment types it applies to: {@code hvac} and everything under {@code hvac.}. */
  static final String EQUIPMENT_PREFIX = "hvac";

  static final String SUCTION_PRESSURE = "suction-pressure";

  static final ChecklistTemplate TEMPLATE =
      new ChecklistTemplate(
          TEMPLATE_ID,
          VERSION,
          "Rooftop unit maintenance",
          List.of(
              new ChecklistItem(
                  "filter-replaced",
                  "Air filter replaced",
                  ItemType.YES_NO,
                  true,
                  null,
                  null,
                  null,
                  null),
              new ChecklistItem(
                  SUCTION_PRESSURE,
                  "Suction pressure, compressor running",
                  ItemType.NUMBER,
                  true,
                  BigDecimal.ZERO,
                  new BigDecimal("250"),
                  "psi",
                  null),
              new ChecklistItem(
                  "refrigerant",
                  "Refrigerant type (data plate)",
                  ItemType.CHOICE,
                  true,
                  null,
                  null,
                  null,
                  List.of("R-410A", "R-32", "R-454B", "R-407C", "R-22", "other")),
              new ChecklistItem(
                  "data-plate-photo",
                  "Photo of the unit's data plate",
                  ItemType.PHOTO,
                  true,
                  null,
                  null,
                  null,
                  null),
              new ChecklistItem(
                  "notes",
                  "Findings and recommendations",
                  ItemType.TEXT,
                  false,
                  null,
                  null,
                  null,
                  null)));

  @Override
  public List<ChecklistTemplate> templatesFor(ChecklistContext context) {
    return context.equipmentTypes().stream().anyMatch(RooftopUnitChecklistProvider::isHvac)
        ? List.of(TEMPLATE)
        : List.of();
  }

  /**
   * Beyond the platform's range check (0 to 250 psi): a reading of exactly 0 psi means the gauge
   * was not connected or the compressor was off, so it is refused with a hint.
   */
  @Override
  public Optional<String> validate(ChecklistTemplate template, ChecklistItem item, Object answer) {
    if (SUCTION_PRESSURE.equals(item.id())
        && answer instanceof BigDecimal psi
        && psi.signum() == 0) {
      return Optional.of(
          "0 psi: connect the gauge to the suction port and read it with the compressor running");
    }
    return Optional.empty();
  }

  static boolean isHvac(String equipmentType) {
    return equipmentType != null
        && (equipmentType.equals(EQUIPMENT_PREFIX)
            || equipmentType.startsWith(EQUIPMENT_PREFIX + "."));
  }
}
