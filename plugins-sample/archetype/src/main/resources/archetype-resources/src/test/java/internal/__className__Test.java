#if( $kind == "checklist" )##
package ${package}.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.fieldops.spi.checklist.ChecklistContext;
import org.fieldops.spi.checklist.ChecklistItem;
import org.junit.Test;

/** Plain JUnit: a provider is an ordinary class; no OSGi needed to test it. */
public class ${className}Test {
  private final ${className} provider = new ${className}();

  private static ChecklistContext job(String... equipmentTypes) {
    return new ChecklistContext("job-1", "heating.maintenance", List.of(equipmentTypes), "c-1");
  }

  @Test
  public void boilersGetTheTemplateOtherEquipmentDoesNot() {
    assertEquals(List.of(${className}.TEMPLATE), provider.templatesFor(job("boiler.gas")));
    assertEquals(List.of(${className}.TEMPLATE), provider.templatesFor(job("pump", "boiler")));
    assertEquals(List.of(), provider.templatesFor(job("boilerplate")));
    assertEquals(List.of(), provider.templatesFor(job()));
  }

  @Test
  public void zeroBarIsRefusedOtherPressuresAccepted() {
    ChecklistItem pressure = ${className}.TEMPLATE.items().get(1);
    assertTrue(provider.validate(${className}.TEMPLATE, pressure, BigDecimal.ZERO).isPresent());
    assertTrue(
        provider.validate(${className}.TEMPLATE, pressure, new BigDecimal("1.5")).isEmpty());
  }
}
#elseif( $kind == "policy" )##
package ${package}.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.Instant;
import org.fieldops.spi.conflict.Decision;
import org.fieldops.spi.conflict.FieldConflict;
import org.junit.Test;

/** Plain JUnit: a policy is an ordinary class; no OSGi needed to test it. */
public class ${className}Test {
  private final ${className} policy = new ${className}();

  private static FieldConflict conflict(String path, String server, String device) {
    return new FieldConflict(
        "job-1",
        path,
        "Gate 1",
        server,
        "dispatcher",
        Instant.parse("2026-01-05T10:00:00Z"),
        device,
        Instant.parse("2026-01-05T09:00:00Z"),
        "phone-1",
        "anna",
        "site-1",
        null);
  }

  @Test
  public void notesThatOnlyAddToTheOfficesTextTakeTheDevicesValue() {
    assertEquals(
        Decision.takeDevice(),
        policy.decide(conflict("site.accessNotes", "Gate 2", "Gate 2; dog in the yard")));
  }

  @Test
  public void anythingElsePasses() {
    assertNull(policy.decide(conflict("site.accessNotes", "Gate 2", "Gate 3")));
    assertNull(policy.decide(conflict("site.accessNotes", "Gate 2", " ")));
    assertNull(policy.decide(conflict("equipment/e-1.serialNumber", "A", "A-1")));
  }
}
#elseif( $kind == "connector" )##
package ${package}.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceStatus;
import org.fieldops.spi.accounting.ExportResult;
import org.junit.Test;

/** Plain JUnit: a connector is an ordinary class; no OSGi needed to test it. */
public class ${className}Test {

  static Invoice invoice() {
    return new Invoice(
        "inv-1",
        "INV-000042",
        "job-1",
        "c-1",
        InvoiceStatus.APPROVED,
        "USD",
        List.of(),
        new BigDecimal("100.00"),
        new BigDecimal("0.10"),
        new BigDecimal("10.00"),
        new BigDecimal("110.00"),
        List.of(),
        List.of(),
        3,
        Instant.parse("2026-01-05T10:00:00Z"),
        Instant.parse("2026-01-05T10:00:00Z"),
        Instant.parse("2026-01-05T11:00:00Z"),
        "finance",
        null,
        null);
  }

  @Test
  public void answersAreClassifiedForTheOutbox() {
    assertEquals(ExportResult.Kind.SUCCESS, ${className}.classify(201).kind());
    assertEquals(ExportResult.Kind.TRANSIENT, ${className}.classify(429).kind());
    assertEquals(ExportResult.Kind.TRANSIENT, ${className}.classify(503).kind());
    assertEquals(ExportResult.Kind.PERMANENT, ${className}.classify(422).kind());
  }

  @Test
  public void theDocumentCarriesNumberAndTotal() {
    String json = ${className}.json("invoice", invoice(), null);
    assertTrue(json, json.contains("\"number\":\"INV-000042\""));
    assertTrue(json, json.contains("\"total\":\"110.00\""));
  }

  @Test
  public void anUnreachableEndpointIsATransientFailure() {
    ${className} connector = new ${className}(URI.create("http://127.0.0.1:9/v1/invoices"), "", 1);
    ExportResult r = connector.exportInvoice(invoice(), null, "INV-000042");
    assertEquals(r.message(), ExportResult.Kind.TRANSIENT, r.kind());
  }
}
#end
