package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.CustomerServiceImplTest.DISPATCHER;
import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.PageRequest;
import org.fieldops.api.master.Technician;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.UserDraft;
import org.fieldops.store.Ids;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class TechnicianServiceImplTest {
  @Rule public final TestDatabase db = new TestDatabase();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:30:00Z"));
  private TechnicianServiceImpl technicians;

  @Before
  public void setUp() {
    UserServiceImpl users = new UserServiceImpl(db, clock, 1_000, Duration.ofSeconds(30));
    for (String name : List.of("tina", "tom", "ted")) {
      users.create(
          new UserDraft(name, "correct horse battery", List.of("technician"), null),
          Caller.system());
    }
    technicians = new TechnicianServiceImpl(db, clock);
  }

  private static Map<String, Object> patch(Object... keyValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  @Test
  public void createStoresTheTechnician() {
    Technician t =
        technicians.create(
            new TechnicianDraft(" Tina Turner ", "tina", List.of("hvac", "refrigerant"), true),
            DISPATCHER);
    assertTrue(Ids.isWellFormed(t.id()));
    assertEquals(1L, t.version());
    assertEquals("Tina Turner", t.name());
    assertEquals("tina", t.username());
    assertEquals(List.of("hvac", "refrigerant"), t.skills());
    assertTrue(t.active());
    assertEquals(t, technicians.get(t.id()));
  }

  @Test
  public void activeDefaultsToTrue() {
    Technician t = technicians.create(new TechnicianDraft("Tom", null, null, null), DISPATCHER);
    assertTrue(t.active());
    assertNull(t.username());
    assertEquals(List.of(), t.skills());
    assertFalse(
        technicians.create(new TechnicianDraft("Off", null, null, false), DISPATCHER).active());
  }

  @Test
  public void nameIsRequired() {
    invalid(
        () -> technicians.create(new TechnicianDraft(null, null, null, null), DISPATCHER), "name");
    invalid(
        () ->
            technicians.create(new TechnicianDraft("x".repeat(201), null, null, null), DISPATCHER),
        "name");
  }

  @Test
  public void theUsernameMustBeAnExistingUser() {
    invalid(
        () -> technicians.create(new TechnicianDraft("Ghost", "ghost", null, null), DISPATCHER),
        "username");
    Technician t = technicians.create(new TechnicianDraft("Tom", null, null, null), DISPATCHER);
    invalid(
        () -> technicians.update(t.id(), 1, patch("username", "nobody"), DISPATCHER), "username");
  }

  @Test
  public void aUserIsLinkedToAtMostOneTechnician() {
    Technician tina =
        technicians.create(new TechnicianDraft("Tina", "tina", null, null), DISPATCHER);
    invalid(
        () -> technicians.create(new TechnicianDraft("Tina again", "tina", null, null), DISPATCHER),
        "username");

    Technician tom = technicians.create(new TechnicianDraft("Tom", "tom", null, null), DISPATCHER);
    invalid(
        () -> technicians.update(tom.id(), 1, patch("username", "tina"), DISPATCHER), "username");

    // keeping one's own username is fine
    assertEquals(
        "tina", technicians.update(tina.id(), 1, patch("name", "Tina T."), DISPATCHER).username());
    // once unlinked, the username is free again
    assertNull(technicians.update(tina.id(), 2, patch("username", null), DISPATCHER).username());
    assertEquals(
        "tina", technicians.update(tom.id(), 1, patch("username", "tina"), DISPATCHER).username());
  }

  @Test
  public void skillsAreLowerCaseTags() {
    Technician t =
        technicians.create(
            new TechnicianDraft(
                "T", null, List.of("hvac", "r-410a", "elec.low_voltage", "9lives"), null),
            DISPATCHER);
    assertEquals(List.of("hvac", "r-410a", "elec.low_voltage", "9lives"), t.skills());
    invalid(
        () ->
            technicians.create(
                new TechnicianDraft("T", null, List.of("hvac", "HVAC"), null), DISPATCHER),
        "skills[1]");
    invalid(
        () ->
            technicians.create(
                new TechnicianDraft("T", null, List.of("two words", "ok", "a,b"), null),
                DISPATCHER),
        "skills[0]",
        "skills[2]");
    invalid(
        () ->
            technicians.create(
                new TechnicianDraft("T", null, List.of("-lead", "x".repeat(51)), null), DISPATCHER),
        "skills[0]",
        "skills[1]");
    invalid(
        () ->
            technicians.create(
                new TechnicianDraft("T", null, Arrays.asList("ok", null), null), DISPATCHER),
        "skills[1]");
  }

  @Test
  public void atMost50Skills() {
    List<String> fifty = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fifty.add("skill" + i);
    }
    assertEquals(
        50,
        technicians
            .create(new TechnicianDraft("T", null, fifty, null), DISPATCHER)
            .skills()
            .size());
    List<String> fiftyOne = new ArrayList<>(fifty);
    fiftyOne.add("one-more");
    invalid(
        () -> technicians.create(new TechnicianDraft("T", null, fiftyOne, null), DISPATCHER),
        "skills");
  }

  @Test
  public void repeatedSkillsAreKeptOnce() {
    assertEquals(
        List.of("hvac", "gas"),
        technicians
            .create(
                new TechnicianDraft("T", null, List.of("hvac", "gas", "hvac"), null), DISPATCHER)
            .skills());
  }

  @Test
  public void skillsAndActiveCanBePatched() {
    Technician t =
        technicians.create(new TechnicianDraft("T", "ted", List.of("hvac"), null), DISPATCHER);
    Technician after =
        technicians.update(
            t.id(), 1, patch("skills", List.of("gas", "plumbing"), "active", false), DISPATCHER);
    assertEquals(List.of("gas", "plumbing"), after.skills());
    assertFalse(after.active());
    assertEquals("ted", after.username());
    assertEquals(
        List.of(), technicians.update(t.id(), 2, patch("skills", null), DISPATCHER).skills());
    assertEquals(
        List.of(), technicians.update(t.id(), 3, patch("skills", List.of()), DISPATCHER).skills());
  }

  @Test
  public void wrongTypesAreRefusedByField() {
    Technician t = technicians.create(new TechnicianDraft("T", null, null, null), DISPATCHER);
    invalid(() -> technicians.update(t.id(), 1, patch("active", "yes"), DISPATCHER), "active");
    invalid(() -> technicians.update(t.id(), 1, patch("skills", "hvac"), DISPATCHER), "skills");
    invalid(
        () -> technicians.update(t.id(), 1, patch("skills", List.of(5)), DISPATCHER), "skills[0]");
  }

  @Test
  public void findByUsername() {
    Technician tina =
        technicians.create(new TechnicianDraft("Tina", "tina", null, null), DISPATCHER);
    technicians.create(new TechnicianDraft("Unlinked", null, null, null), DISPATCHER);
    assertEquals(Optional.of(tina), technicians.findByUsername("tina"));
    assertEquals(Optional.empty(), technicians.findByUsername("tom"));
    assertEquals(Optional.empty(), technicians.findByUsername("nobody"));
  }

  @Test
  public void listIsInCreationOrder() {
    Technician a = technicians.create(new TechnicianDraft("Zed", null, null, null), DISPATCHER);
    Technician b = technicians.create(new TechnicianDraft("Amy", null, null, null), DISPATCHER);
    assertEquals(List.of(a, b), technicians.list(PageRequest.first(10)).items());
  }

  @Test
  public void getOfAnUnknownTechnicianIsNotFound() {
    assertThrows(NotFoundException.class, () -> technicians.get(Ids.next()));
  }
}
