package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The partner kit's promise, in the real distribution: each sample plugin's jar, dropped into
 * {@code deploy/} of the running server, is listed by {@code GET /plugins} within seconds and
 * changes what the REST API does; taking the jar out falls back to the defaults. Connectors are
 * selected by editing {@code etc/org.fieldops.billing.cfg} while the server runs. Every test checks
 * the behaviour without the plugin too, so it fails when the plugin is not used.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginHotDeployIT extends PluginTestSupport {
  static final String HVAC_TEMPLATE = "sample.hvac.rooftop-unit-maintenance";
  static final String BILLING = "org.fieldops.billing";

  @Configuration
  public Option[] config() {
    return pluginOptions();
  }

  @Before
  public void ready() throws InterruptedException {
    awaitApi();
  }

  @Test
  public void theHvacChecklistReachesJobsDispatchedWhileItIsDeployed() throws Exception {
    Office o = new Office("Hvac");
    String unit = o.equipment("hvac.rooftop", "SN-H1");
    String before = o.dispatchedJob("hvac.maintenance", unit);
    assertFalse(o.templates(before).contains(HVAC_TEMPLATE));

    String fingerprint = get("/health", null, null).expect(200).json().path("plugins").asText();
    Path jar = deploy(sampleJar("checklist-hvac"));
    String during;
    try {
      JsonNode listed = awaitListed("checklistProviders", "org.fieldops.sample.checklist.hvac");
      assertEquals("ACTIVE", listed.path("state").asText());
      String withHvac = get("/health", null, null).expect(200).json().path("plugins").asText();
      assertEquals(
          "one more plugin bundle in the fingerprint (" + fingerprint + " -> " + withHvac + ")",
          count(fingerprint) + 1,
          count(withHvac));
      assertTrue(listed.toString(), listed.path("version").asText().startsWith("0.1.0"));
      assertEquals("org.fieldops.sample.checklist.hvac", listed.path("name").asText());

      during = o.dispatchedJob("hvac.maintenance", unit);
      assertTrue(o.templates(during).toString(), o.templates(during).contains(HVAC_TEMPLATE));
      JsonNode packetJob = o.packetJob(during);
      JsonNode hvac = null;
      for (JsonNode c : packetJob.path("checklists")) {
        if (HVAC_TEMPLATE.equals(c.path("template").path("id").asText())) {
          hvac = c;
        }
      }
      assertTrue("the HVAC checklist in the packet: " + packetJob, hvac != null);
      assertEquals(
          "sample.hvac.rooftop-unit-maintenance@1",
          hvac.path("template").path("id").asText()
              + "@"
              + hvac.path("template").path("version").asText());
      assertTrue(
          hvac.toString(),
          hvac.path("missing").toString().contains("suction-pressure")
              && hvac.path("missing").toString().contains("data-plate-photo"));
      // only jobs with hvac equipment get it; jobs dispatched before keep what they had
      String other = o.dispatchedJob("electrical.repair", null);
      assertFalse(o.templates(other).contains(HVAC_TEMPLATE));
      assertFalse(o.templates(before).contains(HVAC_TEMPLATE));
    } finally {
      undeploy(jar);
    }
    awaitGone("checklistProviders", "org.fieldops.sample.checklist.hvac");
    assertEquals(
        fingerprint, get("/health", null, null).expect(200).json().path("plugins").asText());
    String after = o.dispatchedJob("hvac.maintenance", unit);
    assertFalse(o.templates(after).contains(HVAC_TEMPLATE));
    assertTrue("fixed on the job at dispatch", o.templates(during).contains(HVAC_TEMPLATE));
  }

  /** The plugin count of a /health fingerprint ({@code <count>:<hash>}). */
  private static int count(String fingerprint) {
    return Integer.parseInt(fingerprint.substring(0, fingerprint.indexOf(':')));
  }

  @Test
  public void theTrustTechnicianPolicyDecidesSerialNumberConflictsWhileItIsDeployed()
      throws Exception {
    Office o = new Office("Trust");
    JsonNode without = serialConflict(o);
    assertEquals(without.toString(), "REVIEW", without.path("outcome").asText());

    Path jar = deploy(sampleJar("conflict-trust-technician"));
    try {
      JsonNode listed =
          awaitListed("conflictPolicies", "org.fieldops.sample.conflict.trusttechnician");
      assertEquals("trust-technician", listed.path("name").asText());
      assertEquals(100, listed.path("ranking").asInt());
      JsonNode policies = plugins().path("conflictPolicies");
      assertEquals(
          "the built-in default is asked last",
          "default",
          policies.get(policies.size() - 1).path("name").asText());

      JsonNode with = serialConflict(o);
      assertEquals(with.toString(), "MERGED", with.path("outcome").asText());
      assertEquals("trust-technician:TAKE_DEVICE", with.path("policy").asText());
      assertEquals("SN-C", with.path("value").asText());
      assertEquals(
          "SN-C",
          get("/equipment/" + with.path("unit").asText(), o.dispatcher, PW)
              .expect(200)
              .json()
              .path("serialNumber")
              .asText());
    } finally {
      undeploy(jar);
    }
    awaitGone("conflictPolicies", "org.fieldops.sample.conflict.trusttechnician");
    JsonNode after = serialConflict(o);
    assertEquals(after.toString(), "REVIEW", after.path("outcome").asText());
  }

  /**
   * A new unit installed today with serial SN-A on a job dispatched to the technician; the office
   * corrects it to SN-B after the technician's packet; the technician reports SN-C from the data
   * plate. The event's result, with the unit's id added.
   */
  private static JsonNode serialConflict(Office o) {
    String unit = o.equipment("hvac.rooftop", "SN-A");
    String job = o.dispatchedJob("refrigeration.repair", unit);
    long seen = o.packetJob(job).path("version").asLong();
    patch("/equipment/" + unit, o.dispatcher, PW, "\"1\"", obj("serialNumber", "SN-B")).expect(200);
    JsonNode result =
        o.upload(
                job,
                seen,
                "field",
                obj("path", "equipment/" + unit + ".serialNumber", "base", "SN-A", "value", "SN-C"))
            .get(0);
    return ((com.fasterxml.jackson.databind.node.ObjectNode) result.deepCopy()).put("unit", unit);
  }

  /**
   * The partner's path: the policy project that this build generated from the archetype (and built
   * in archetype:integration-test) is dropped into deploy/, listed, and decides.
   */
  @Test
  public void aPolicyGeneratedFromTheArchetypeIsListedAndDecides() throws Exception {
    Path generated =
        Paths.get(
            System.getProperty("fieldops.itest.samples"),
            "archetype/target/test-classes/projects/policy/project/notes-policy/target",
            "notes-policy-1.0.0-SNAPSHOT.jar");
    assertTrue(
        "generated plugin missing (build plugins-sample/archetype first): " + generated,
        Files.isRegularFile(generated));
    JsonNode without = appendedNotesConflict(new Office("Generated"));
    assertEquals(without.toString(), "REVIEW", without.path("outcome").asText());

    Path jar = deploy(generated);
    try {
      JsonNode listed = awaitListed("conflictPolicies", "com.example.partner.notes");
      assertEquals("appended-notes", listed.path("name").asText());
      assertEquals(50, listed.path("ranking").asInt());
      assertEquals("ACTIVE", listed.path("state").asText());
      JsonNode with = appendedNotesConflict(new Office("Generated"));
      assertEquals(with.toString(), "MERGED", with.path("outcome").asText());
      assertEquals("appended-notes:TAKE_DEVICE", with.path("policy").asText());
    } finally {
      undeploy(jar);
    }
    awaitGone("conflictPolicies", "com.example.partner.notes");
  }

  /** The office changes a site's access notes after the packet; the technician adds to them. */
  private static JsonNode appendedNotesConflict(Office o) {
    String job = o.dispatchedJob("electrical.repair", null);
    long seen = o.packetJob(job).path("version").asLong();
    patch("/sites/" + o.site, o.dispatcher, PW, "\"1\"", obj("accessNotes", "Gate 2")).expect(200);
    return o.upload(
            job,
            seen,
            "field",
            obj("path", "site.accessNotes", "base", null, "value", "Gate 2; dog in the yard"))
        .get(0);
  }

  @Test
  public void theCsvConnectorWritesEachApprovedInvoiceOnceAndIsSelectedWithoutRestart()
      throws Exception {
    Office o = new Office("Csv");
    Path folder = Paths.get(System.getProperty("karaf.data"), "csv-" + UUID.randomUUID());
    configure("org.fieldops.sample.accounting.csv", Map.of("folder", folder.toString()));
    Path jar = deploy(sampleJar("accounting-csv"));
    try {
      JsonNode listed = awaitListed("accountingConnectors", "org.fieldops.sample.accounting.csv");
      assertEquals("csv", listed.path("name").asText());
      configure(BILLING, Map.of("connector", "csv"));
      awaitActiveConnector("csv", true);
      assertTrue(
          plugin(plugins(), "accountingConnectors", "org.fieldops.sample.accounting.csv")
              .path("selected")
              .asBoolean());

      String number = o.completedAndApproved(o.dispatchedJob("electrical.repair", null));
      JsonNode export =
          o.awaitExport(
              number, e -> "DONE".equals(e.path("status").asText()), Duration.ofSeconds(20));
      assertEquals("csv", export.path("connector").asText());
      assertEquals(1, export.path("attempts").asInt());
      assertTrue(export.path("externalId").asText().startsWith("journal-"));
      call(
              "POST",
              "/accounting/exports/" + export.path("id").asText() + "/retry",
              o.finance,
              PW,
              null,
              null)
          .expect(409);

      // one header per journal, one row per line of the invoice (one labor line), written once
      Thread.sleep(1_500); // a few more dispatcher rounds: nothing is written twice
      List<String> rows = new ArrayList<>();
      try (Stream<Path> journals = Files.list(folder)) {
        for (Path j : journals.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
          List<String> lines = Files.readAllLines(j, StandardCharsets.UTF_8);
          assertTrue(lines.get(0), lines.get(0).startsWith("entry,key,invoice_number,"));
          assertEquals(1, lines.stream().filter(l -> l.startsWith("entry,")).count());
          lines.stream().filter(l -> l.startsWith("INVOICE," + number + ",")).forEach(rows::add);
        }
      }
      assertEquals(rows.toString(), 1, rows.size());
      assertTrue(rows.get(0), rows.get(0).contains(",LABOR,") && rows.get(0).contains(",USD,"));
    } finally {
      undeploy(jar);
    }
    awaitGone("accountingConnectors", "org.fieldops.sample.accounting.csv");
    awaitActiveConnector("csv", false);
    configure(BILLING, Map.of("connector", ""));
  }

  @Test
  public void theHttpConnectorDeliversOnceToALedgerThatFailsTwiceFirst() throws Exception {
    Office o = new Office("Http");
    try (LedgerStub ledger = new LedgerStub(2)) {
      configure(
          "org.fieldops.sample.accounting.http",
          Map.of("url", ledger.url(), ".token", "itest-token", "timeoutSeconds", "3"));
      Path jar = deploy(sampleJar("accounting-http"));
      try {
        awaitListed("accountingConnectors", "org.fieldops.sample.accounting.http");
        configure(BILLING, Map.of("connector", "http"));
        awaitActiveConnector("http", true);

        String number = o.completedAndApproved(o.dispatchedJob("electrical.repair", null));
        JsonNode export =
            o.awaitExport(
                number, e -> "DONE".equals(e.path("status").asText()), Duration.ofSeconds(30));
        assertEquals("http", export.path("connector").asText());
        assertEquals(3, export.path("attempts").asInt());
        assertEquals("remote-3", export.path("externalId").asText());

        List<LedgerStub.Received> calls = ledger.received;
        assertEquals(calls.toString(), 3, calls.size());
        assertEquals(
            List.of(503, 503, 201), calls.stream().map(LedgerStub.Received::status).toList());
        Set<String> requestIds = new HashSet<>();
        for (LedgerStub.Received r : calls) {
          assertTrue(r.requestLine(), r.requestLine().startsWith("POST /v1/invoices "));
          assertEquals(number, r.headers().get("Idempotency-Key"));
          assertEquals("Bearer itest-token", r.headers().get("Authorization"));
          requestIds.add(r.headers().get("X-Request-Id"));
          JsonNode body = JSON.readTree(r.body());
          assertEquals("invoice", body.path("type").asText());
          assertEquals(number, body.path("number").asText());
        }
        assertEquals("a new request id on every call", 3, requestIds.size());
        assertFalse(
            "the token never reaches finance",
            get("/accounting/exports?limit=500", o.finance, PW).body().contains("itest-token"));
      } finally {
        undeploy(jar);
      }
      awaitGone("accountingConnectors", "org.fieldops.sample.accounting.http");
      awaitActiveConnector("http", false);
      configure(BILLING, Map.of("connector", ""));
    }
  }
}
