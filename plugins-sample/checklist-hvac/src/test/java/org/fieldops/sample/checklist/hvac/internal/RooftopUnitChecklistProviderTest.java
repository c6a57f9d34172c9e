package org.fieldops.sample.checklist.hvac.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fieldops.spi.checklist.ChecklistContext;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ChecklistTemplate;
import org.fieldops.spi.checklist.ItemType;
import org.junit.Test;

/** The rooftop-unit template: what it asks, and which jobs get it. */
public class RooftopUnitChecklistProviderTest {
  private final RooftopUnitChecklistProvider provider = new RooftopUnitChecklistProvider();

  private static ChecklistContext job(String jobType, String... equipmentTypes) {
    return new ChecklistContext("job-1", jobType, List.of(equipmentTypes), "cust-1");
  }

  private static Map<String, ChecklistItem> items(ChecklistTemplate t) {
    return t.items().stream().collect(Collectors.toMap(ChecklistItem::id, Function.identity()));
  }

  @Test
  public void theTemplateAsksForFilterPressureRefrigerantAndDataPlatePhoto() {
    ChecklistTemplate t = provider.templatesFor(job("hvac.maintenance", "hvac.rooftop")).get(0);
    assertEquals("sample.hvac.rooftop-unit-maintenance", t.id());
    assertEquals(1, t.version());
    Map<String, ChecklistItem> items = items(t);

    ChecklistItem filter = items.get("filter-replaced");
    assertEquals(ItemType.YES_NO, filter.type());
    assertTrue(filter.required());

    ChecklistItem pressure = items.get("suction-pressure");
    assertEquals(ItemType.NUMBER, pressure.type());
    assertEquals("psi", pressure.unit());
    assertEquals(0, pressure.min().compareTo(BigDecimal.ZERO));
    assertEquals(0, pressure.max().compareTo(new BigDecimal("250")));
    assertTrue(pressure.required());

    ChecklistItem refrigerant = items.get("refrigerant");
    assertEquals(ItemType.CHOICE, refrigerant.type());
    assertTrue(refrigerant.choices().containsAll(List.of("R-410A", "R-32", "R-22", "other")));
    assertTrue(refrigerant.required());

    ChecklistItem photo = items.get("data-plate-photo");
    assertEquals(ItemType.PHOTO, photo.type());
    assertTrue("the data plate photo is required", photo.required());

    assertFalse(items.get("notes").required());
  }

  @Test
  public void appliesToEveryHvacEquipmentTypeWhateverTheJobType() {
    assertEquals(1, provider.templatesFor(job("hvac.maintenance", "hvac.rooftop")).size());
    assertEquals(1, provider.templatesFor(job("repair", "hvac")).size());
    assertEquals(1, provider.templatesFor(job(null, "plumbing.pump", "hvac.split.outdoor")).size());
  }

  @Test
  public void doesNotApplyToOtherEquipmentNorToLookalikePrefixes() {
    assertTrue(provider.templatesFor(job("hvac.maintenance")).isEmpty());
    assertTrue(provider.templatesFor(job("hvac.maintenance", "plumbing.pump")).isEmpty());
    assertTrue(provider.templatesFor(job("install", "hvacuum.robot")).isEmpty());
    assertTrue(provider.templatesFor(job("install", "x.hvac")).isEmpty());
  }

  @Test
  public void oneTemplatePerJobEvenWithSeveralUnits() {
    assertEquals(
        1, provider.templatesFor(job("hvac.maintenance", "hvac.rooftop", "hvac.rooftop")).size());
  }

  @Test
  public void refusesAZeroPsiReadingAndAcceptsARealOne() {
    ChecklistTemplate t = RooftopUnitChecklistProvider.TEMPLATE;
    ChecklistItem pressure = items(t).get("suction-pressure");
    assertTrue(provider.validate(t, pressure, BigDecimal.ZERO).isPresent());
    assertTrue(provider.validate(t, pressure, new BigDecimal("0.00")).isPresent());
    assertFalse(provider.validate(t, pressure, new BigDecimal("118.5")).isPresent());
    assertFalse(provider.validate(t, items(t).get("filter-replaced"), Boolean.TRUE).isPresent());
  }
}
