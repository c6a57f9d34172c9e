package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.CustomerServiceImplTest.DISPATCHER;
import static org.fieldops.jobs.internal.Expect.invalid;
import static org.fieldops.jobs.internal.Expect.invalidOn;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.master.Site;
import org.fieldops.api.master.SiteDraft;
import org.fieldops.store.Ids;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class SiteServiceImplTest {
  @Rule public final TestDatabase db = new TestDatabase();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:30:00Z"));
  private SiteServiceImpl sites;
  private String acme;
  private String globex;

  @Before
  public void setUp() {
    CustomerServiceImpl customers = new CustomerServiceImpl(db, clock);
    sites = new SiteServiceImpl(db, clock);
    acme = customers.create(new CustomerDraft("Acme", null, null, null, "USD"), DISPATCHER).id();
    globex =
        customers.create(new CustomerDraft("Globex", null, null, null, "USD"), DISPATCHER).id();
  }

  private static Map<String, Object> patch(Object... keyValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private Site site(String customerId, String address) {
    return sites.create(new SiteDraft(customerId, address, null, null, null), DISPATCHER);
  }

  @Test
  public void createStoresTheSite() {
    Site s =
        sites.create(
            new SiteDraft(acme, " 12 Elm St ", 40.7128, -74.006, "Gate code 1234"), DISPATCHER);
    assertTrue(Ids.isWellFormed(s.id()));
    assertEquals(1L, s.version());
    assertEquals(acme, s.customerId());
    assertEquals("12 Elm St", s.address());
    assertEquals(40.7128, s.latitude(), 0);
    assertEquals(-74.006, s.longitude(), 0);
    assertEquals("Gate code 1234", s.accessNotes());
    assertEquals(s, sites.get(s.id()));
  }

  @Test
  public void customerIdAndAddressAreRequired() {
    invalid(
        () -> sites.create(new SiteDraft(null, null, null, null, null), DISPATCHER),
        "customerId",
        "address");
    invalid(() -> sites.create(new SiteDraft(acme, "  ", null, null, null), DISPATCHER), "address");
  }

  @Test
  public void anUnknownCustomerIsRefused() {
    invalid(() -> site(Ids.next(), "Somewhere"), "customerId");
    invalid(() -> site("no-such-customer", "Somewhere"), "customerId");
    invalid(() -> site("x".repeat(37), "Somewhere"), "customerId");
  }

  @Test
  public void customerIdIsReadOnlyOnPatch() {
    Site s = site(acme, "12 Elm St");
    invalid(() -> sites.update(s.id(), 1, patch("customerId", globex), DISPATCHER), "customerId");
    invalid(() -> sites.update(s.id(), 1, patch("customerId", acme), DISPATCHER), "customerId");
    assertEquals(acme, sites.get(s.id()).customerId());
    assertEquals(1L, sites.get(s.id()).version());
  }

  @Test
  public void otherFieldsCanBePatched() {
    Site s = site(acme, "12 Elm St");
    Site after =
        sites.update(
            s.id(),
            1,
            patch("accessNotes", "Dog in yard", "latitude", 51.5, "longitude", -0.12),
            DISPATCHER);
    assertEquals(2L, after.version());
    assertEquals("Dog in yard", after.accessNotes());
    assertEquals(51.5, after.latitude(), 0);
    assertEquals(-0.12, after.longitude(), 0);
    assertEquals("12 Elm St", after.address());
    assertEquals(acme, after.customerId());
    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () -> sites.update(s.id(), 1, patch("accessNotes", "x"), DISPATCHER));
    assertEquals(2L, e.currentVersion());
  }

  @Test
  public void latitudeAndLongitudeMustBeInRange() {
    invalid(() -> sites.create(new SiteDraft(acme, "A", 90.5, 0.0, null), DISPATCHER), "latitude");
    invalid(() -> sites.create(new SiteDraft(acme, "A", -91.0, 0.0, null), DISPATCHER), "latitude");
    invalid(
        () -> sites.create(new SiteDraft(acme, "A", 0.0, 180.01, null), DISPATCHER), "longitude");
    invalid(
        () -> sites.create(new SiteDraft(acme, "A", 0.0, -181.0, null), DISPATCHER), "longitude");
    invalid(
        () -> sites.create(new SiteDraft(acme, "A", 100.0, 200.0, null), DISPATCHER),
        "latitude",
        "longitude");
    for (double[] ok : new double[][] {{90, 180}, {-90, -180}, {0, 0}, {89.999999, -179.999999}}) {
      Site s = sites.create(new SiteDraft(acme, "A", ok[0], ok[1], null), DISPATCHER);
      assertEquals(ok[0], s.latitude(), 0);
      assertEquals(ok[1], s.longitude(), 0);
    }
  }

  @Test
  public void notANumberIsNotACoordinate() {
    invalidOn(
        () -> sites.create(new SiteDraft(acme, "A", Double.NaN, 0.0, null), DISPATCHER),
        "latitude");
    invalidOn(
        () ->
            sites.create(new SiteDraft(acme, "A", 0.0, Double.POSITIVE_INFINITY, null), DISPATCHER),
        "longitude");
  }

  @Test
  public void latitudeAndLongitudeGoTogether() {
    invalid(
        () -> sites.create(new SiteDraft(acme, "A", 45.0, null, null), DISPATCHER), "longitude");
    assertThrows(
        org.fieldops.api.ValidationException.class,
        () -> sites.create(new SiteDraft(acme, "A", null, 45.0, null), DISPATCHER));

    Site s = sites.create(new SiteDraft(acme, "A", 45.0, 7.0, null), DISPATCHER);
    invalidOn(() -> sites.update(s.id(), 1, patch("longitude", null), DISPATCHER), "longitude");
    Site cleared = sites.update(s.id(), 1, patch("latitude", null, "longitude", null), DISPATCHER);
    assertNull(cleared.latitude());
    assertNull(cleared.longitude());
  }

  @Test
  public void coordinatesMustBeNumbers() {
    Site s = site(acme, "A");
    invalid(
        () -> sites.update(s.id(), 1, patch("latitude", "north", "longitude", 3.0), DISPATCHER),
        "latitude");
  }

  @Test
  public void listIsFilteredByCustomer() {
    Site a1 = site(acme, "A1");
    Site g1 = site(globex, "G1");
    Site a2 = site(acme, "A2");
    Site g2 = site(globex, "G2");
    Site a3 = site(acme, "A3");

    assertEquals(List.of(a1, a2, a3), sites.list(acme, PageRequest.first(50)).items());
    assertEquals(List.of(g1, g2), sites.list(globex, PageRequest.first(50)).items());
    assertEquals(
        List.of(a1, g1, a2, g2, a3), sites.list((String) null, PageRequest.first(50)).items());
    assertTrue(sites.list(Ids.next(), PageRequest.first(50)).items().isEmpty());
  }

  @Test
  public void aFilteredListPagesWithinTheFilter() {
    List<Site> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(site(acme, "A" + i));
      site(globex, "G" + i);
    }
    List<Site> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<Site> page = sites.list(acme, new PageRequest(2, cursor));
      seen.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    assertEquals(mine, seen);
  }

  @Test
  public void getAndUpdateOfAnUnknownSiteAreNotFound() {
    assertThrows(NotFoundException.class, () -> sites.get(Ids.next()));
    assertThrows(
        NotFoundException.class,
        () -> sites.update(Ids.next(), 1, patch("address", "x"), DISPATCHER));
  }
}
