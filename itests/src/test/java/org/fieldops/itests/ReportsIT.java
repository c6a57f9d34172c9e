package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Reports over HTTP in the real distribution: a small day made through the public API (a customer
 * of its own, two jobs, a technician who completes one with a part through {@code /me/events}); the
 * reports grouped by customer must say what the raw records ({@code GET /jobs}, the job's parts)
 * say; CSV parses back to the same numbers; roles and bad input.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReportsIT extends FieldOpsTestSupport {

  @Configuration
  public Option[] config() {
    return distribution();
  }

  @Before
  public void ready() throws InterruptedException {
    awaitApi();
  }

  private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

  /** The day: returns the customer id; job A completed with 2 x the part, job B dispatched. */
  private Map<String, String> day(String dispatcher, String finance) {
    String sku = "RPT-" + UUID.randomUUID().toString().substring(0, 8);
    post(
            "/pricebook/parts",
            finance,
            PW,
            "{\"sku\":\""
                + sku
                + "\",\"name\":\"Report part\",\"unitPrice\":\"4.25\",\"currency\":\"USD\"}")
        .expect(201);
    String customer =
        id(post("/customers", dispatcher, PW, "{\"name\":\"Reports Co\",\"currency\":\"USD\"}"));
    String site =
        id(
            post(
                "/sites",
                dispatcher,
                PW,
                "{\"customerId\":\"" + customer + "\",\"address\":\"1 Report St\"}"));
    String unit =
        id(
            post(
                "/equipment",
                dispatcher,
                PW,
                "{\"siteId\":\"" + site + "\",\"type\":\"hvac.rtu\",\"make\":\"Carrier\"}"));
    String techUser = user("technician");
    String tech =
        id(
            post(
                "/technicians",
                dispatcher,
                PW,
                "{\"name\":\"Rita "
                    + techUser
                    + "\",\"username\":\""
                    + techUser
                    + "\",\"skills\":[\"hvac\"]}"));
    String a = job(dispatcher, customer, site, unit, tech, "10:00", "11:00");
    String b = job(dispatcher, customer, site, null, tech, "12:00", "13:00");
    String device = "rpt-" + UUID.randomUUID();
    upload(techUser, device, a, 1, "status", "{\"to\":\"EN_ROUTE\"}", dispatcher);
    upload(techUser, device, a, 2, "status", "{\"to\":\"ON_SITE\"}", dispatcher);
    upload(techUser, device, a, 3, "part", "{\"sku\":\"" + sku + "\",\"quantity\":2}", dispatcher);
    upload(
        techUser,
        device,
        a,
        4,
        "checklist",
        "{\"templateId\":\"site-safety\",\"itemId\":\"ppe\",\"answer\":true}",
        dispatcher);
    upload(techUser, device, a, 5, "status", "{\"to\":\"COMPLETED\"}", dispatcher);
    return Map.of("customer", customer, "a", a, "b", b, "sku", sku, "tech", tech);
  }

  @Test
  public void reportsSayWhatTheRecordsSay() throws IOException {
    String dispatcher = user("dispatcher");
    String finance = user("finance");
    Map<String, String> day = day(dispatcher, finance);
    String customer = day.get("customer");
    String range = "?from=" + today + "&to=" + today + "&groupBy=customer";

    // job-status against the jobs themselves
    Map<String, Integer> byStatus = new HashMap<>();
    for (String job : List.of(day.get("a"), day.get("b"))) {
      byStatus.merge(
          get("/jobs/" + job, dispatcher, PW).expect(200).json().path("status").asText(),
          1,
          Integer::sum);
    }
    JsonNode status = get("/reports/job-status" + range, dispatcher, PW).expect(200).json();
    JsonNode row = row(status, customer);
    assertEquals("Reports Co", row.path("label").asText());
    for (Map.Entry<String, Integer> e : byStatus.entrySet()) {
      assertEquals(e.getKey(), (int) e.getValue(), row.path(e.getKey()).asInt());
    }
    assertEquals(2, row.path("total").asInt());
    assertEquals(1, row.path("DISPATCHED").asInt());

    JsonNode completions =
        row(get("/reports/completions" + range, dispatcher, PW).expect(200).json(), customer);
    assertEquals(1, completions.path("completed").asInt());
    assertEquals(1, completions.path("withEquipment").asInt());
    assertEquals(1, completions.path("firstTimeFixed").asInt());

    // parts against the job's part lines
    JsonNode parts = get("/jobs/" + day.get("a"), dispatcher, PW).expect(200).json().path("parts");
    assertEquals(1, parts.size());
    JsonNode partRow =
        row(get("/reports/parts" + range, dispatcher, PW).expect(200).json(), customer);
    assertEquals(day.get("sku"), partRow.path("sku").asText());
    assertEquals(
        parts.get(0).path("quantity").asDouble(), partRow.path("quantity").asDouble(), 0.0);
    assertEquals("8.50", partRow.path("value").asText());

    // sync health: the technician's five uploads (four steps and the checklist answer), all applied
    JsonNode sync =
        get("/reports/sync-health?from=" + today + "&to=" + today, dispatcher, PW)
            .expect(200)
            .json();
    JsonNode tech = row(sync, day.get("tech"));
    assertEquals(5, tech.path("uploads").asInt());
    assertEquals(5, tech.path("applied").asInt());
    assertEquals(false, tech.path("stale").asBoolean());

    // the same report as CSV: the same numbers
    Reply csv =
        call("GET", "/reports/job-status" + range, dispatcher, PW, null, null, "Accept", "text/csv")
            .expect(200);
    assertTrue(csv.header("Content-Type"), csv.header("Content-Type").startsWith("text/csv"));
    assertTrue(
        csv.header("Content-Disposition"),
        csv.header("Content-Disposition").contains("job-status_" + today));
    try (CSVParser parser =
        CSVParser.parse(
            new StringReader(csv.body()),
            CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
      List<CSVRecord> records = parser.getRecords();
      assertEquals(status.path("rows").size(), records.size());
      CSVRecord mine =
          records.stream().filter(r -> r.get("group").equals(customer)).findFirst().orElseThrow();
      for (JsonNode column : status.path("columns")) {
        String name = column.path("name").asText();
        assertEquals(name, row.path(name).asText(), mine.get(name));
      }
    }
    Reply download = get("/reports/parts" + range + "&format=csv", dispatcher, PW).expect(200);
    assertTrue(download.body().startsWith("group,label,sku,name,quantity,value,currency\r\n"));

    // finance sees revenue: the completed job's draft appears within a few seconds
    JsonNode revenue = null;
    for (int i = 0; i < 40; i++) {
      revenue = get("/reports/revenue" + range, finance, PW).expect(200).json();
      if (revenue.path("rows").size() > 0) {
        break;
      }
      sleep(250);
    }
    JsonNode drafted = row(revenue, customer);
    assertEquals(1, drafted.path("invoicedCount").asInt());
    assertEquals("8.50", drafted.path("invoiced").asText()); // no tax rate on this customer
  }

  @Test
  public void rolesAndBadInput() {
    String dispatcher = user("dispatcher");
    String finance = user("finance");
    String technician = user("technician");
    assertEquals(7, get("/reports", dispatcher, PW).expect(200).json().path("items").size());
    assertEquals(9, get("/reports", finance, PW).expect(200).json().path("items").size());
    get("/reports", technician, PW).expect(403);
    get("/reports/job-status", technician, PW).expect(403);
    get("/reports/job-status", null, null).expect(401);
    get("/reports/revenue", dispatcher, PW).expect(403);
    get("/reports/drafts", dispatcher, PW).expect(403);
    get("/reports/no-such-report", dispatcher, PW).expect(404);
    get("/reports/job-status?from=2026-13-01", dispatcher, PW).expectFieldError("from");
    get("/reports/job-status?from=" + today + "&to=" + today.minusDays(1), dispatcher, PW)
        .expectFieldError("to");
    get("/reports/job-status?from=" + today.minusDays(400) + "&to=" + today, dispatcher, PW)
        .expectFieldError("to");
    get("/reports/job-status?groupBy=sku", dispatcher, PW).expectFieldError("groupBy");
    get("/reports/job-status?format=xml", dispatcher, PW).expectFieldError("format");
    get("/reports/sync-health?staleAfterMinutes=soon", dispatcher, PW)
        .expectFieldError("staleAfterMinutes");
    JsonNode ok = get("/reports/job-status", finance, PW).expect(200).json();
    assertEquals(today.toString(), ok.path("from").asText());
    assertEquals("day", ok.path("groupBy").asText());
  }

  private String job(
      String dispatcher,
      String customer,
      String site,
      String unit,
      String tech,
      String from,
      String to) {
    String job =
        id(
            post(
                "/jobs",
                dispatcher,
                PW,
                "{\"customerId\":\""
                    + customer
                    + "\",\"siteId\":\""
                    + site
                    + "\",\"equipmentIds\":["
                    + (unit == null ? "" : "\"" + unit + "\"")
                    + "],\"title\":\"Report job\",\"type\":\"hvac.repair\",\"windowStart\":\""
                    + today
                    + "T00:00:00Z\",\"windowEnd\":\""
                    + today
                    + "T23:59:00Z\"}"));
    call(
            "PUT",
            "/jobs/" + job + "/assignment",
            dispatcher,
            PW,
            "application/json",
            "{\"technicianIds\":[\""
                + tech
                + "\"],\"start\":\""
                + today
                + "T"
                + from
                + ":00Z\",\"end\":\""
                + today
                + "T"
                + to
                + ":00Z\"}")
        .expect(200);
    return job;
  }

  private void upload(
      String techUser,
      String device,
      String job,
      long seq,
      String type,
      String data,
      String dispatcher) {
    long version = get("/jobs/" + job, dispatcher, PW).expect(200).json().path("version").asLong();
    String body = events(device, event(seq, job, type, today + "T10:00:00Z", version, data));
    JsonNode result =
        post("/me/events", techUser, PW, body).expect(200).json().path("results").get(0);
    assertEquals(result.toString(), "APPLIED", result.path("outcome").asText());
  }

  private static JsonNode row(JsonNode report, String group) {
    for (JsonNode r : report.path("rows")) {
      if (group.equals(r.path("group").asText())) {
        return r;
      }
    }
    throw new AssertionError("no row " + group + " in " + report);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
