package org.fieldops.sample.conflict.trusttechnician.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.Instant;
import java.time.LocalDate;
import org.fieldops.spi.conflict.Decision;
import org.fieldops.spi.conflict.FieldConflict;
import org.junit.Test;

/** The trust-technician rule on a handful of conflicts. */
public class TrustTechnicianPolicyTest {
  private static final LocalDate INSTALLED = LocalDate.parse("2021-04-12");

  private final TrustTechnicianPolicy policy = new TrustTechnicianPolicy();

  /** A small builder: a serial-number conflict on equipment eq-1, varied one field at a time. */
  private static final class Conflict {
    String path = "equipment/eq-1.serialNumber";
    String base = "SN-OLD";
    String server = "SN-OFFICE";
    Instant changedAt = Instant.parse("2021-04-12T15:00:00Z");
    String device = "SN-PLATE-123";
    LocalDate installedOn = INSTALLED;

    Conflict path(String p) {
      path = p;
      return this;
    }

    Conflict server(String v, Instant at) {
      server = v;
      changedAt = at;
      return this;
    }

    Conflict device(String v) {
      device = v;
      return this;
    }

    Conflict installedOn(LocalDate d) {
      installedOn = d;
      return this;
    }

    FieldConflict build() {
      return new FieldConflict(
          "job-1",
          path,
          base,
          server,
          "office.anna",
          changedAt,
          device,
          Instant.parse("2024-06-01T09:00:00Z"),
          "device-1",
          "tech.tom",
          "eq-1",
          installedOn);
    }
  }

  private Decision decide(Conflict c) {
    return policy.decide(c.build());
  }

  @Test
  public void takesTheDeviceValueWhenTheServerValueIsEmpty() {
    Instant lastYear = Instant.parse("2023-09-01T10:00:00Z");
    assertEquals(Decision.takeDevice(), decide(new Conflict().server(null, lastYear)));
    assertEquals(Decision.takeDevice(), decide(new Conflict().server("  ", lastYear)));
    assertEquals(
        "an empty value needs no installation date",
        Decision.takeDevice(),
        decide(new Conflict().server("", null).installedOn(null)));
  }

  @Test
  public void takesTheDeviceValueWhenTheServerValueIsFromInstallation() {
    assertEquals(
        "changed before the installation day",
        Decision.takeDevice(),
        decide(new Conflict().server("SN-X", Instant.parse("2021-03-30T08:00:00Z"))));
    assertEquals(
        "changed on the installation day, last second in UTC",
        Decision.takeDevice(),
        decide(new Conflict().server("SN-X", Instant.parse("2021-04-12T23:59:59Z"))));
  }

  @Test
  public void passesWhenTheServerValueChangedAfterInstallation() {
    assertNull(decide(new Conflict().server("SN-X", Instant.parse("2021-04-13T00:00:00Z"))));
    assertNull(decide(new Conflict().server("SN-X", Instant.parse("2024-05-30T12:00:00Z"))));
  }

  @Test
  public void passesWhenItCannotTell() {
    assertNull("no installation date", decide(new Conflict().installedOn(null)));
    assertNull("no change time", decide(new Conflict().server("SN-X", null)));
  }

  @Test
  public void decidesTheModelTooButNothingElse() {
    Instant atInstall = Instant.parse("2021-04-12T10:00:00Z");
    assertEquals(
        Decision.takeDevice(),
        decide(new Conflict().path("equipment/eq-1.model").server("RTU-5", atInstall)));
    assertNull(decide(new Conflict().path("site.accessNotes").server(null, atInstall)));
    assertNull(decide(new Conflict().path("equipment/eq-1.make").server(null, atInstall)));
  }

  @Test
  public void neverErasesAServerValue() {
    assertNull(decide(new Conflict().device(null)));
    assertNull(decide(new Conflict().device(" ")));
  }
}
