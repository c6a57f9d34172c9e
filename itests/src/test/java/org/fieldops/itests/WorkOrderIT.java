package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The office's work-order flow over HTTP in the real distribution, with role checks. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WorkOrderIT extends FieldOpsTestSupport {

  @Configuration
  public Option[] config() {
    return distribution();
  }

  @Before
  public void ready() throws InterruptedException {
    awaitApi();
  }

  /** A customer, a site with one rooftop unit, and two technicians (one with the hvac skill). */
  private record Book(
      String dispatcher,
      String customer,
      String site,
      String unit,
      String hvacTech,
      String plumber) {}

  private Book book() {
    String d = user("dispatcher");
    String customer = id(post("/customers", d, PW, "{\"name\":\"Mall\",\"currency\":\"USD\"}"));
    String site =
        id(post("/sites", d, PW, "{\"customerId\":\"" + customer + "\",\"address\":\"Roof\"}"));
    String unit =
        id(post("/equipment", d, PW, "{\"siteId\":\"" + site + "\",\"type\":\"hvac.rooftop\"}"));
    String t1 = id(post("/technicians", d, PW, "{\"name\":\"Hana\",\"skills\":[\"hvac\"]}"));
    String t2 = id(post("/technicians", d, PW, "{\"name\":\"Piet\",\"skills\":[\"plumbing\"]}"));
    return new Book(d, customer, site, unit, t1, t2);
  }

  private String job(Book b, String title) {
    Reply r =
        post(
                "/jobs",
                b.dispatcher(),
                PW,
                "{\"customerId\":\""
                    + b.customer()
                    + "\",\"siteId\":\""
                    + b.site()
                    + "\","
                    + "\"equipmentIds\":[\""
                    + b.unit()
                    + "\"],\"title\":\""
                    + title
                    + "\",\"type\":\"hvac.maintenance\","
                    + "\"priority\":\"HIGH\",\"windowStart\":\"2026-12-01T08:00:00Z\",\"windowEnd\":\"2026-12-01T17:00:00Z\","
                    + "\"estimatedMinutes\":90}")
            .expect(201);
    assertEquals("NEW", r.json().get("status").asText());
    assertEquals(1, r.json().get("version").asInt());
    return r.json().get("id").asText();
  }

  private static String slot(String tech, String start, String end) {
    return "{\"technicianIds\":[\""
        + tech
        + "\"],\"start\":\"2026-12-01T"
        + start
        + ":00Z\",\"end\":\"2026-12-01T"
        + end
        + ":00Z\"}";
  }

  @Test
  public void officeFlowAssignsWarnsMovesAndAudits() {
    Book b = book();
    String first = job(b, "Quarterly maintenance");
    String second = job(b, "Filter change");

    Reply assigned =
        call(
                "PUT",
                "/jobs/" + first + "/assignment",
                b.dispatcher(),
                PW,
                "application/json",
                slot(b.hvacTech(), "09:00", "10:30"))
            .expect(200);
    assertEquals("DISPATCHED", assigned.json().get("status").asText());
    assertEquals(0, assigned.json().get("warnings").size());
    assertEquals("\"2\"", assigned.header("ETag"));

    // the same technician in an overlapping slot: accepted with a double-booking warning
    Reply doubled =
        call(
                "PUT",
                "/jobs/" + second + "/assignment",
                b.dispatcher(),
                PW,
                "application/json",
                slot(b.hvacTech(), "10:00", "11:00"))
            .expect(200);
    assertTrue(doubled.body(), codes(doubled).contains("DOUBLE_BOOKED"));
    // a technician without the hvac skill: missing-skill warning
    Reply unskilled =
        call(
                "PUT",
                "/jobs/" + second + "/assignment",
                b.dispatcher(),
                PW,
                "application/json",
                slot(b.plumber(), "12:00", "13:00"))
            .expect(200);
    assertEquals(List.of("MISSING_SKILL"), codes(unskilled));
    // a slot outside the window is refused
    call(
            "PUT",
            "/jobs/" + second + "/assignment",
            b.dispatcher(),
            PW,
            "application/json",
            slot(b.plumber(), "16:30", "18:00"))
        .expectFieldError("start");

    // illegal moves name the allowed ones
    Reply illegal =
        post("/jobs/" + first + "/transitions", b.dispatcher(), PW, "{\"to\":\"COMPLETED\"}")
            .expect(409);
    assertTrue(illegal.body(), illegal.json().get("allowed").toString().contains("ON_HOLD"));
    post("/jobs/" + first + "/transitions", b.dispatcher(), PW, "{\"to\":\"FLYING\"}")
        .expectFieldError("to");

    // hold, re-assign while held (stays ON_HOLD), release to SCHEDULED
    post(
            "/jobs/" + first + "/transitions",
            b.dispatcher(),
            PW,
            "{\"to\":\"ON_HOLD\",\"reason\":\"parts on order\"}")
        .expect(200);
    Reply held =
        call(
                "PUT",
                "/jobs/" + first + "/assignment",
                b.dispatcher(),
                PW,
                "application/json",
                slot(b.plumber(), "14:00", "15:00"))
            .expect(200);
    assertEquals("ON_HOLD", held.json().get("status").asText());
    assertEquals(
        "SCHEDULED",
        post("/jobs/" + first + "/transitions", b.dispatcher(), PW, "{\"to\":\"SCHEDULED\"}")
            .expect(200)
            .json()
            .get("status")
            .asText());

    // office edits with If-Match; read-only fields refused
    JsonNode current = get("/jobs/" + first, b.dispatcher(), PW).expect(200).json();
    String etag = "\"" + current.get("version").asInt() + "\"";
    patch("/jobs/" + first, b.dispatcher(), PW, etag, "{\"status\":\"CLOSED\"}")
        .expectFieldError("status");
    patch("/jobs/" + first, b.dispatcher(), PW, null, "{\"title\":\"x\"}").expect(428);
    patch("/jobs/" + first, b.dispatcher(), PW, "\"1\"", "{\"title\":\"x\"}").expect(412);
    JsonNode edited =
        patch(
                "/jobs/" + first,
                b.dispatcher(),
                PW,
                etag,
                "{\"title\":\"Quarterly PM\",\"priority\":\"EMERGENCY\"}")
            .expect(200)
            .json();
    assertEquals(current.get("version").asInt() + 1, edited.get("version").asInt());

    // the whole record carries the audit trail, newest first, with old and new values
    JsonNode audit = get("/jobs/" + first, b.dispatcher(), PW).expect(200).json().get("audit");
    assertEquals("updated", audit.get(0).get("action").asText());
    boolean titleAudited = false;
    for (JsonNode a : audit) {
      titleAudited |=
          "title".equals(a.path("field").asText())
              && "Quarterly maintenance".equals(a.path("oldValue").asText())
              && "Quarterly PM".equals(a.path("newValue").asText());
    }
    assertTrue(audit.toString(), titleAudited);
    JsonNode paged =
        get("/jobs/" + first + "/audit?limit=2", b.dispatcher(), PW).expect(200).json();
    assertEquals(2, paged.get("items").size());
    assertTrue(!paged.get("nextCursor").isNull());

    // cancel: final
    post(
            "/jobs/" + second + "/transitions",
            b.dispatcher(),
            PW,
            "{\"to\":\"CANCELLED\",\"reason\":\"customer called\"}")
        .expect(200);
    post("/jobs/" + second + "/transitions", b.dispatcher(), PW, "{\"to\":\"SCHEDULED\"}")
        .expect(409);
    call(
            "PUT",
            "/jobs/" + second + "/assignment",
            b.dispatcher(),
            PW,
            "application/json",
            slot(b.hvacTech(), "09:00", "10:00"))
        .expect(409);
  }

  @Test
  public void listsFilterAndRolesApply() {
    Book b = book();
    String a = job(b, "A");
    job(b, "B");
    call(
            "PUT",
            "/jobs/" + a + "/assignment",
            b.dispatcher(),
            PW,
            "application/json",
            slot(b.hvacTech(), "09:00", "10:00"))
        .expect(200);

    JsonNode mine =
        get("/jobs?technicianId=" + b.hvacTech(), b.dispatcher(), PW).expect(200).json();
    assertEquals(1, mine.get("items").size());
    assertEquals(a, mine.get("items").get(0).get("id").asText());
    assertEquals(
        2,
        get("/jobs?siteId=" + b.site(), b.dispatcher(), PW).expect(200).json().get("items").size());
    assertEquals(
        1,
        get("/jobs?siteId=" + b.site() + "&status=DISPATCHED", b.dispatcher(), PW)
            .expect(200)
            .json()
            .get("items")
            .size());
    assertEquals(
        2,
        get("/jobs?siteId=" + b.site() + "&date=2026-12-01", b.dispatcher(), PW)
            .expect(200)
            .json()
            .get("items")
            .size());
    assertEquals(
        0,
        get("/jobs?siteId=" + b.site() + "&date=2026-12-02", b.dispatcher(), PW)
            .expect(200)
            .json()
            .get("items")
            .size());
    get("/jobs?status=DONE", b.dispatcher(), PW).expectFieldError("status");
    get("/jobs?date=01/12/2026", b.dispatcher(), PW).expectFieldError("date");

    String finance = user("finance");
    String technician = user("technician");
    get("/jobs/" + a, finance, PW).expect(200);
    post("/jobs", finance, PW, "{}").expect(403);
    post("/jobs/" + a + "/transitions", finance, PW, "{\"to\":\"ON_HOLD\"}").expect(403);
    get("/jobs", technician, PW).expect(403);
    get("/jobs/nope", technician, PW).expect(403);
    get("/jobs/nope", b.dispatcher(), PW).expect(404);
    post(
            "/jobs",
            b.dispatcher(),
            PW,
            "{\"customerId\":\"" + b.customer() + "\",\"siteId\":\"" + b.site() + "\"}")
        .expectFieldError("title");
  }

  @Test
  public void priceBookAndOfficeLineCorrections() {
    Book b = book();
    String finance = user("finance");
    String tag = Long.toString(System.nanoTime(), 36).toUpperCase();
    String rate = "STD-" + tag;
    String sku = "FLT-" + tag;
    String task = "PM-" + tag;
    post(
            "/pricebook/labor-rates",
            finance,
            PW,
            "{\"code\":\""
                + rate
                + "\",\"name\":\"Standard\",\"hourlyRate\":\"95.00\",\"currency\":\"USD\"}")
        .expect(201);
    post(
            "/pricebook/parts",
            finance,
            PW,
            "{\"sku\":\""
                + sku
                + "\",\"name\":\"Filter 20x25\",\"unitPrice\":\"18.40\",\"currency\":\"USD\"}")
        .expect(201);
    Reply created =
        post(
                "/pricebook/flat-rate-tasks",
                finance,
                PW,
                "{\"code\":\""
                    + task
                    + "\",\"name\":\"Rooftop PM\",\"price\":\"149\",\"currency\":\"USD\"}")
            .expect(201);
    assertEquals("149.00", created.json().get("price").asText());
    post(
            "/pricebook/parts",
            finance,
            PW,
            "{\"sku\":\"" + sku + "\",\"name\":\"Dup\",\"unitPrice\":\"1\",\"currency\":\"USD\"}")
        .expect(409);
    post(
            "/pricebook/parts",
            finance,
            PW,
            "{\"sku\":\"X-"
                + tag
                + "\",\"name\":\"Neg\",\"unitPrice\":\"-1\",\"currency\":\"USD\"}")
        .expectFieldError("unitPrice");
    post("/pricebook/parts", b.dispatcher(), PW, "{}").expect(403);
    get("/pricebook/parts/" + sku, b.dispatcher(), PW).expect(200);
    get("/pricebook/parts", user("technician"), PW).expect(403);

    // a job ordering the flat-rate task takes its price
    JsonNode job =
        post(
                "/jobs",
                b.dispatcher(),
                PW,
                "{\"customerId\":\""
                    + b.customer()
                    + "\",\"siteId\":\""
                    + b.site()
                    + "\",\"title\":\"PM\",\"type\":\"hvac.maintenance\",\"flatRateTasks\":[{\"code\":\""
                    + task
                    + "\",\"quantity\":1}]}")
            .expect(201)
            .json();
    String id = job.get("id").asText();
    assertEquals("149.00", job.get("flatRateTasks").get(0).get("unitPrice").asText());
    post(
            "/jobs",
            b.dispatcher(),
            PW,
            "{\"customerId\":\""
                + b.customer()
                + "\",\"siteId\":\""
                + b.site()
                + "\",\"title\":\"PM\",\"type\":\"hvac.maintenance\",\"flatRateTasks\":[{\"code\":\"NOPE\",\"quantity\":1}]}")
        .expectFieldError("flatRateTasks[0].code");

    // office corrections: add labor and a part, fix the quantity, void a line
    JsonNode labor =
        post(
                "/jobs/" + id + "/lines",
                b.dispatcher(),
                PW,
                "{\"kind\":\"LABOR\",\"rateCode\":\""
                    + rate
                    + "\",\"startedAt\":\"2026-12-01T09:00:00Z\",\"endedAt\":\"2026-12-01T10:30:00Z\"}")
            .expect(201)
            .json();
    assertEquals("1.5", labor.get("quantity").asText());
    assertEquals("142.50", labor.get("amount").asText());
    JsonNode part =
        post(
                "/jobs/" + id + "/lines",
                b.dispatcher(),
                PW,
                "{\"kind\":\"PART\",\"sku\":\"" + sku + "\",\"quantity\":2}")
            .expect(201)
            .json();
    post(
            "/jobs/" + id + "/lines",
            b.dispatcher(),
            PW,
            "{\"kind\":\"PART\",\"sku\":\"UNKNOWN\",\"quantity\":2}")
        .expectFieldError("sku");
    post(
            "/jobs/" + id + "/lines",
            b.dispatcher(),
            PW,
            "{\"kind\":\"LABOR\",\"rateCode\":\""
                + rate
                + "\",\"startedAt\":\"2026-12-01T11:00:00Z\",\"endedAt\":\"2026-12-01T10:00:00Z\"}")
        .expectFieldError("endedAt");
    post("/jobs/" + id + "/lines", b.dispatcher(), PW, "{\"kind\":\"WIDGET\"}")
        .expectFieldError("kind");

    // the price book changes; the line keeps the price in force when it was applied
    JsonNode partNow = get("/pricebook/parts/" + sku, finance, PW).expect(200).json();
    patch(
            "/pricebook/parts/" + sku,
            finance,
            PW,
            "\"" + partNow.get("version").asInt() + "\"",
            "{\"unitPrice\":\"25.00\"}")
        .expect(200);
    String partPath = "/jobs/" + id + "/lines/" + part.get("id").asText();
    patch(partPath, b.dispatcher(), PW, null, "{\"quantity\":3}").expect(428);
    JsonNode fixed =
        patch(partPath, b.dispatcher(), PW, "\"1\"", "{\"quantity\":3}").expect(200).json();
    assertEquals("18.40", fixed.get("unitPrice").asText());
    assertEquals("55.20", fixed.get("amount").asText());
    patch(partPath, b.dispatcher(), PW, "\"2\"", "{\"unitPrice\":\"1.00\"}")
        .expectFieldError("unitPrice");
    patch(partPath, b.dispatcher(), PW, "\"2\"", "{\"voided\":true}").expect(200);

    JsonNode whole = get("/jobs/" + id, b.dispatcher(), PW).expect(200).json();
    assertEquals(1, whole.get("labor").size());
    assertTrue(whole.get("parts").get(0).get("voided").asBoolean());
    boolean audited = false;
    for (JsonNode a : whole.get("audit")) {
      audited |=
          "line corrected".equals(a.get("action").asText())
              && a.get("newValue").asText().contains("x 3");
    }
    assertTrue(whole.get("audit").toString(), audited);
    post("/jobs/" + id + "/lines", finance, PW, "{\"kind\":\"NOTE\",\"text\":\"x\"}").expect(403);
  }

  @Test
  public void checklistsFromTheShippedTemplatesAreFixedAtDispatch() {
    Book b = book();
    String pump =
        id(
            post(
                "/equipment",
                b.dispatcher(),
                PW,
                "{\"siteId\":\"" + b.site() + "\",\"type\":\"plumbing.pump\"}"));
    String id =
        id(
            post(
                "/jobs",
                b.dispatcher(),
                PW,
                "{\"customerId\":\""
                    + b.customer()
                    + "\",\"siteId\":\""
                    + b.site()
                    + "\",\"equipmentIds\":[\""
                    + pump
                    + "\"],\"title\":\"Pump leak\",\"type\":\"plumbing.repair\"}"));
    assertEquals(
        0, get("/jobs/" + id, b.dispatcher(), PW).expect(200).json().get("checklists").size());

    JsonNode dispatched =
        call(
                "PUT",
                "/jobs/" + id + "/assignment",
                b.dispatcher(),
                PW,
                "application/json",
                "{\"technicianIds\":[\""
                    + b.plumber()
                    + "\"],\"start\":\"2026-12-02T09:00:00Z\",\"end\":\"2026-12-02T10:00:00Z\"}")
            .expect(200)
            .json();
    List<String> ids = new ArrayList<>();
    dispatched.get("checklists").forEach(c -> ids.add(c.get("template").get("id").asText()));
    assertEquals(List.of("pump-service", "site-safety"), ids);
    JsonNode pumpList = dispatched.get("checklists").get(0);
    assertEquals(1, pumpList.get("template").get("version").asInt());
    assertTrue(
        pumpList.get("missing").toString(),
        pumpList.get("missing").toString().contains("discharge-pressure"));

    // a job without a pump gets only the site safety checklist
    String other = job(b, "No pump here");
    JsonNode plain =
        call(
                "PUT",
                "/jobs/" + other + "/assignment",
                b.dispatcher(),
                PW,
                "application/json",
                slot(b.hvacTech(), "13:00", "14:00"))
            .expect(200)
            .json();
    assertEquals(1, plain.get("checklists").size());
    assertEquals("site-safety", plain.get("checklists").get(0).get("template").get("id").asText());
  }

  @Test
  public void siteAndEquipmentHistoryComeFromTheJobs() {
    Book b = book();
    String first = job(b, "First visit");
    String second = job(b, "Second visit");
    String elsewhere =
        id(
            post(
                "/equipment",
                b.dispatcher(),
                PW,
                "{\"siteId\":\"" + b.site() + "\",\"type\":\"hvac.split\"}"));
    call(
            "PUT",
            "/jobs/" + first + "/assignment",
            b.dispatcher(),
            PW,
            "application/json",
            slot(b.hvacTech(), "09:00", "10:00"))
        .expect(200);

    JsonNode site = get("/sites/" + b.site() + "/history", b.dispatcher(), PW).expect(200).json();
    assertEquals(2, site.get("items").size());
    assertEquals(second, site.get("items").get(0).get("jobId").asText()); // newest first
    assertEquals("NEW", site.get("items").get(0).get("outcome").asText());
    JsonNode older = site.get("items").get(1);
    assertEquals("DISPATCHED", older.get("outcome").asText());
    assertEquals("Hana", older.get("technicianNames").get(0).asText());

    JsonNode unit =
        get("/equipment/" + b.unit() + "/history?limit=1", user("finance"), PW).expect(200).json();
    assertEquals(1, unit.get("items").size());
    assertTrue(!unit.get("nextCursor").isNull());
    assertEquals(second, unit.get("items").get(0).get("jobId").asText());
    assertEquals(
        0, unit.get("items").get(0).get("checklists").size()); // not dispatched: none fixed yet
    JsonNode next =
        get(
                "/equipment/"
                    + b.unit()
                    + "/history?limit=1&cursor="
                    + unit.get("nextCursor").asText(),
                b.dispatcher(),
                PW)
            .expect(200)
            .json();
    assertEquals(first, next.get("items").get(0).get("jobId").asText());
    assertEquals(
        "site-safety",
        next.get("items").get(0).get("checklists").get(0).get("template").get("id").asText());
    assertTrue(next.get("items").get(0).get("parts").isArray());
    assertEquals(
        0,
        get("/equipment/" + elsewhere + "/history", b.dispatcher(), PW)
            .expect(200)
            .json()
            .get("items")
            .size());
    get("/sites/nope/history", b.dispatcher(), PW).expect(404);
    get("/sites/" + b.site() + "/history", user("technician"), PW).expect(403);
  }

  private static List<String> codes(Reply r) {
    List<String> codes = new ArrayList<>();
    r.json().get("warnings").forEach(w -> codes.add(w.get("code").asText()));
    return codes;
  }
}
