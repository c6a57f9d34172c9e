package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.CustomerServiceImplTest.DISPATCHER;
import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.PageRequest;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.Equipment;
import org.fieldops.api.master.EquipmentDraft;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.store.Ids;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class EquipmentServiceImplTest {
  @Rule public final TestDatabase db = new TestDatabase();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:30:00Z"));
  private EquipmentServiceImpl equipment;
  private String roof;
  private String basement;

  @Before
  public void setUp() {
    String customer =
        new CustomerServiceImpl(db, clock)
            .create(new CustomerDraft("Acme", null, null, null, "USD"), DISPATCHER)
            .id();
    SiteServiceImpl sites = new SiteServiceImpl(db, clock);
    roof = sites.create(new SiteDraft(customer, "Roof", null, null, null), DISPATCHER).id();
    basement = sites.create(new SiteDraft(customer, "Basement", null, null, null), DISPATCHER).id();
    equipment = new EquipmentServiceImpl(db, clock);
  }

  private static Map<String, Object> patch(Object... keyValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private Equipment unit(String siteId, String type) {
    return equipment.create(new EquipmentDraft(siteId, type, null, null, null, null), DISPATCHER);
  }

  @Test
  public void createStoresTheUnit() {
    Equipment e =
        equipment.create(
            new EquipmentDraft(
                roof, "hvac.rooftop", "Carrier", "48TC", "SN-0042", LocalDate.of(2019, 6, 1)),
            DISPATCHER);
    assertTrue(Ids.isWellFormed(e.id()));
    assertEquals(1L, e.version());
    assertEquals(roof, e.siteId());
    assertEquals("hvac.rooftop", e.type());
    assertEquals("Carrier", e.make());
    assertEquals("48TC", e.model());
    assertEquals("SN-0042", e.serialNumber());
    assertEquals(LocalDate.of(2019, 6, 1), e.installedOn());
    assertEquals(e, equipment.get(e.id()));
  }

  @Test
  public void typesAreDottedLowerCaseWords() {
    for (String ok :
        List.of(
            "hvac.rooftop",
            "boiler",
            "hvac.split-system",
            "fire.sprinkler_head",
            "elec.panel.200a",
            "x1")) {
      assertEquals(ok, unit(roof, ok).type());
    }
    for (String bad :
        List.of(
            "HVAC Rooftop",
            "hvac rooftop",
            "Hvac.rooftop",
            "hvac..rooftop",
            ".hvac",
            "hvac.",
            "1hvac",
            "hvac/rooftop")) {
      invalid(() -> unit(roof, bad), "type");
    }
  }

  @Test
  public void siteIdAndTypeAreRequired() {
    invalid(
        () ->
            equipment.create(
                new EquipmentDraft(null, null, "Carrier", null, null, null), DISPATCHER),
        "siteId",
        "type");
    invalid(() -> unit(roof, " "), "type");
  }

  @Test
  public void anUnknownSiteIsRefused() {
    invalid(() -> unit(Ids.next(), "boiler"), "siteId");
    invalid(() -> unit("nowhere", "HVAC Rooftop"), "siteId", "type");
  }

  @Test
  public void textFieldsAreAtMost200Characters() {
    String long201 = "m".repeat(201);
    invalid(
        () ->
            equipment.create(
                new EquipmentDraft(roof, "boiler", long201, long201, long201, null), DISPATCHER),
        "make",
        "model",
        "serialNumber");
  }

  @Test
  public void aPatchMayMoveTheUnitToAnExistingSiteOnly() {
    Equipment e = unit(roof, "boiler");
    invalid(() -> equipment.update(e.id(), 1, patch("siteId", Ids.next()), DISPATCHER), "siteId");
    assertEquals(
        basement, equipment.update(e.id(), 1, patch("siteId", basement), DISPATCHER).siteId());
  }

  @Test
  public void installedOnIsAnIsoDate() {
    Equipment e = unit(roof, "boiler");
    Equipment dated =
        equipment.update(
            e.id(), 1, patch("installedOn", "2020-01-15", "serialNumber", "SN-1"), DISPATCHER);
    assertEquals(LocalDate.of(2020, 1, 15), dated.installedOn());
    assertEquals("SN-1", dated.serialNumber());
    invalid(
        () -> equipment.update(e.id(), 2, patch("installedOn", "2020-13-01"), DISPATCHER),
        "installedOn");
    invalid(
        () -> equipment.update(e.id(), 2, patch("installedOn", "15/01/2020"), DISPATCHER),
        "installedOn");
    assertNull(equipment.update(e.id(), 2, patch("installedOn", null), DISPATCHER).installedOn());
    invalid(() -> equipment.update(e.id(), 3, patch("type", "HVAC Rooftop"), DISPATCHER), "type");
  }

  @Test
  public void listIsFilteredBySite() {
    Equipment r1 = unit(roof, "hvac.rooftop");
    Equipment b1 = unit(basement, "boiler");
    Equipment r2 = unit(roof, "hvac.rooftop");

    assertEquals(List.of(r1, r2), equipment.list(roof, PageRequest.first(50)).items());
    assertEquals(List.of(b1), equipment.list(basement, PageRequest.first(50)).items());
    assertEquals(List.of(r1, b1, r2), equipment.list((String) null, PageRequest.first(50)).items());
    assertTrue(equipment.list(Ids.next(), PageRequest.first(50)).items().isEmpty());
  }

  @Test
  public void getOfUnknownEquipmentIsNotFound() {
    assertThrows(NotFoundException.class, () -> equipment.get(Ids.next()));
  }
}
