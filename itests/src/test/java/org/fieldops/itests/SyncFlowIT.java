package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A technician's day over HTTP in the real distribution, the "done when": the packet, a
 * day's upload sent twice, a rejection the office sees and acknowledges, a field conflict the
 * office resolves, the delta that brings the result (and a job re-assigned away) to the phone, the
 * role checks, and the cap on upload bodies.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SyncFlowIT extends FieldOpsTestSupport {
  /** A small cap on upload bodies, so that the test sends little to pass it. */
  private static final long EVENTS_MAX_BYTES = 64 * 1024;

  private static final String OCCURRED_AT = "2026-12-03T09:05:00Z";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Configuration
  public Option[] config() {
    return OptionUtils.combine(
        distribution(),
        editConfigurationFilePut(
            "etc/org.fieldops.rest.cfg", "eventsMaxBytes", String.valueOf(EVENTS_MAX_BYTES)));
  }

  @Before
  public void ready() throws InterruptedException {
    awaitApi();
  }

  // ---------------------------------------------------------------- the day

  @Test
  public void aTechniciansDayFromPacketToDelta() {
    String d = user("dispatcher");
    String fin = user("finance");
    String sku = "FLT-" + UUID.randomUUID().toString().substring(0, 8);
    post(
            "/pricebook/parts",
            fin,
            PW,
            obj("sku", sku, "name", "Air filter", "unitPrice", "12.50", "currency", "USD"))
        .expect(201);
    String customer =
        id(post("/customers", d, PW, obj("name", "Flow Co", "currency", "USD", "contact", "Jo")));
    ObjectNode siteDraft =
        JSON.createObjectNode()
            .put("customerId", customer)
            .put("address", "1 Field Rd, Springfield")
            .put("latitude", 39.7817)
            .put("longitude", -89.6501)
            .put("accessNotes", "Gate code 1234");
    String site = id(post("/sites", d, PW, siteDraft.toString()));
    String equipment =
        id(
            post(
                "/equipment",
                d,
                PW,
                obj(
                    "siteId",
                    site,
                    "type",
                    "hvac.rooftop",
                    "make",
                    "Carrier",
                    "model",
                    "48TC",
                    "serialNumber",
                    "SN-1")));
    String[] tech = linkedTechnician(d);
    String techUser = tech[0];
    String techId = tech[1];
    String otherId = linkedTechnician(d)[1];

    // three jobs tomorrow, assigned out of route order; days=2 covers today and tomorrow even if
    // the date turns while the test runs
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate tomorrow = today.plusDays(1);
    String jobA = job(d, customer, site, equipment, "A: rooftop unit service");
    String jobB = job(d, customer, site, null, "B: first stop");
    String jobC = job(d, customer, site, null, "C: goes to someone else");
    String jobD = job(d, customer, site, null, "D: same site, nothing else happens to it");
    assign(d, jobA, techId, tomorrow, "13:00", "14:00");
    assign(d, jobB, techId, tomorrow, "09:00", "10:00");
    assign(d, jobC, techId, tomorrow, "15:00", "16:00");
    assign(d, jobD, techId, tomorrow, "11:00", "12:00");

    // ---- the full packet
    Reply fullReply = get("/me/packet?days=2", techUser, PW).expect(200);
    assertTrue(
        "Cache-Control " + fullReply.header("Cache-Control"),
        String.valueOf(fullReply.header("Cache-Control")).contains("no-store"));
    JsonNode full = fullReply.json();
    assertFalse(full.path("delta").asBoolean(true));
    String cursor = full.path("cursor").asText();
    assertFalse("cursor", cursor.isBlank());
    assertTrue("generatedAt", full.path("generatedAt").isTextual());
    LocalDate from = LocalDate.parse(full.path("from").asText());
    assertTrue("from " + from, !from.isBefore(today) && !from.isAfter(tomorrow));
    assertEquals("a 2-day window", from.plusDays(1).toString(), full.path("to").asText());
    assertEquals(List.of(), texts(full.path("removed")));
    assertEquals("route order by slot", List.of(jobB, jobD, jobA, jobC), ids(full.path("jobs")));
    for (int i = 0; i < 4; i++) {
      JsonNode j = full.path("jobs").get(i);
      assertEquals(i + 1, j.path("routeOrder").asInt());
      assertEquals("DISPATCHED", j.path("status").asText());
      assertEquals("Flow Co", j.path("customer").path("name").asText());
      JsonNode s = j.path("site");
      assertEquals(site, s.path("id").asText());
      assertEquals("Gate code 1234", s.path("accessNotes").asText());
      String nav = s.path("navigationUrl").asText();
      assertTrue("navigationUrl " + nav, nav.startsWith("geo:") && nav.contains("39.7817"));
      JsonNode checklists = j.path("checklists");
      assertTrue("checklists fixed at dispatch: " + checklists, checklists.size() >= 1);
      assertTrue(
          "site-safety with its version: " + checklists,
          find(checklists, c -> "site-safety".equals(c.path("template").path("id").asText()))
              .path("template")
              .path("version")
              .isInt());
      assertTrue("slotStart", j.path("slotStart").asText().startsWith(tomorrow.toString()));
      assertTrue("version", j.path("version").asLong() >= 1);
    }
    JsonNode packetA = full.path("jobs").get(2);
    assertEquals(equipment, packetA.path("equipment").path(0).path("id").asText());
    assertEquals("SN-1", packetA.path("equipment").path(0).path("serialNumber").asText());
    JsonNode part =
        find(full.path("priceBook").path("parts"), p -> sku.equals(p.path("sku").asText()));
    assertEquals("price as a decimal string", "12.50", part.path("unitPrice").asText());
    long versionA = packetA.path("version").asLong();
    long versionB = full.path("jobs").get(0).path("version").asLong();
    long versionC = full.path("jobs").get(3).path("version").asLong();

    // the default window is one day
    JsonNode oneDay = get("/me/packet", techUser, PW).expect(200).json();
    assertEquals(oneDay.path("from").asText(), oneDay.path("to").asText());

    // ---- a day's upload, twice
    String device = "phone-" + UUID.randomUUID();
    String unknownPartOp = UUID.randomUUID().toString();
    List<String> day =
        List.of(
            event(1, jobB, "status", OCCURRED_AT, versionB, obj("to", "ON_SITE")),
            event(2, jobB, "note", OCCURRED_AT, versionB, obj("text", "Filter was black")),
            event(
                3, jobB, "part", OCCURRED_AT, versionB, "{\"sku\":\"" + sku + "\",\"quantity\":2}"),
            event(
                unknownPartOp,
                4,
                jobB,
                "part",
                OCCURRED_AT,
                versionB,
                "{\"sku\":\"NO-SUCH-SKU-" + UUID.randomUUID() + "\",\"quantity\":1}"),
            event(
                5,
                jobB,
                "checklist",
                OCCURRED_AT,
                versionB,
                "{\"templateId\":\"site-safety\",\"itemId\":\"ppe\",\"answer\":true}"));
    JsonNode first = upload(techUser, device, day);
    assertEquals(List.of("APPLIED", "APPLIED", "APPLIED", "REJECTED", "APPLIED"), outcomes(first));
    assertEquals("UNKNOWN_CODE", first.get(3).path("reason").asText());
    assertEquals(unknownPartOp, first.get(3).path("opId").asText());
    JsonNode again = upload(techUser, device, day);
    for (int i = 0; i < day.size(); i++) {
      JsonNode r = again.get(i);
      assertEquals("DUPLICATE", r.path("outcome").asText());
      assertEquals(first.get(i).path("outcome").asText(), r.path("firstOutcome").asText());
      assertEquals(first.get(i).path("reason"), r.path("reason"));
      assertEquals(first.get(i).path("opId"), r.path("opId"));
    }
    JsonNode recordB = get("/jobs/" + jobB, d, PW).expect(200).json();
    assertEquals("ON_SITE", recordB.path("status").asText());
    assertEquals("applied once", 1, recordB.path("notes").size());
    assertEquals("applied once", 1, recordB.path("parts").size());

    // a seq the device never sent shows as a gap
    assertEquals(
        List.of("APPLIED"),
        outcomes(
            upload(
                techUser,
                device,
                List.of(
                    event(8, jobB, "note", OCCURRED_AT, versionB, obj("text", "Back tomorrow"))))));

    // ---- the technician sees the rejection with its reason
    JsonNode status = get("/me/sync-status?deviceId=" + device, techUser, PW).expect(200).json();
    assertEquals(device, status.path("deviceId").asText());
    assertEquals(8, status.path("lastSeq").asLong());
    assertTrue("lastUploadAt", status.path("lastUploadAt").isTextual());
    assertEquals(5, status.path("counts").path("APPLIED").asLong());
    assertEquals(1, status.path("counts").path("REJECTED").asLong());
    JsonNode rejected =
        find(status.path("rejected"), r -> unknownPartOp.equals(r.path("opId").asText()));
    assertEquals("UNKNOWN_CODE", rejected.path("reason").asText());
    assertEquals(jobB, rejected.path("jobId").asText());
    JsonNode gap = find(status.path("gaps"), g -> device.equals(g.path("deviceId").asText()));
    assertEquals(6, gap.path("from").asLong());
    assertEquals(7, gap.path("to").asLong());

    // ---- the office sees it and acknowledges it
    JsonNode open =
        get("/sync/rejections?technicianId=" + techId + "&acknowledged=false", d, PW)
            .expect(200)
            .json();
    assertTrue(open.has("nextCursor"));
    JsonNode listed = find(open.path("items"), r -> unknownPartOp.equals(r.path("opId").asText()));
    assertEquals("UNKNOWN_CODE", listed.path("reason").asText());
    assertEquals(device, listed.path("deviceId").asText());
    assertEquals(techUser, listed.path("technicianUsername").asText());
    assertFalse(listed.path("acknowledged").asBoolean(true));
    JsonNode acked =
        call("POST", "/sync/rejections/" + unknownPartOp + "/acknowledgement", d, PW, null, null)
            .expect(200)
            .json();
    assertTrue(acked.path("acknowledged").asBoolean());
    assertEquals(d, acked.path("acknowledgedBy").asText());
    JsonNode ackedAgain =
        call(
                "POST",
                "/sync/rejections/" + unknownPartOp + "/acknowledgement?deviceId=" + device,
                d,
                PW,
                null,
                null)
            .expect(200)
            .json();
    assertEquals("idempotent", acked.path("acknowledgedAt"), ackedAgain.path("acknowledgedAt"));
    assertFalse(
        "no longer open",
        opIds(
                get("/sync/rejections?technicianId=" + techId + "&acknowledged=false", d, PW)
                    .expect(200)
                    .json())
            .contains(unknownPartOp));
    assertTrue(
        opIds(
                get("/sync/rejections?technicianId=" + techId + "&acknowledged=true", d, PW)
                    .expect(200)
                    .json())
            .contains(unknownPartOp));
    call("POST", "/sync/rejections/" + UUID.randomUUID() + "/acknowledgement", d, PW, null, null)
        .expect(404);

    // ---- a shared fact changed on both sides: the office decides
    String officeNotes = "Gate code 5678 (new lock)";
    String deviceNotes = "Gate code 1234; dog in the yard, knock at the back door";
    patch("/sites/" + site, d, PW, "\"1\"", obj("accessNotes", officeNotes)).expect(200);
    String fieldOp = UUID.randomUUID().toString();
    String officeOwnedOp = UUID.randomUUID().toString();
    String serialOp = UUID.randomUUID().toString();
    JsonNode fieldResults =
        upload(
            techUser,
            device,
            List.of(
                event(
                    fieldOp,
                    9,
                    jobA,
                    "field",
                    OCCURRED_AT,
                    versionA,
                    obj(
                        "path",
                        "site.accessNotes",
                        "base",
                        "Gate code 1234",
                        "value",
                        deviceNotes)),
                event(
                    officeOwnedOp,
                    10,
                    jobA,
                    "field",
                    OCCURRED_AT,
                    versionA,
                    obj("path", "job.windowStart", "base", null, "value", "2026-12-01T08:00:00Z")),
                event(
                    serialOp,
                    11,
                    jobA,
                    "field",
                    OCCURRED_AT,
                    versionA,
                    obj(
                        "path",
                        "equipment/" + equipment + ".serialNumber",
                        "base",
                        "SN-1",
                        "value",
                        "SN-1-B"))));
    assertEquals("REVIEW", fieldResults.get(0).path("outcome").asText());
    String reviewId = fieldResults.get(0).path("reviewId").asText();
    assertFalse("reviewId", reviewId.isBlank() || "null".equals(reviewId));
    assertEquals("REJECTED", fieldResults.get(1).path("outcome").asText());
    assertEquals("OFFICE_OWNED_FIELD", fieldResults.get(1).path("reason").asText());
    assertEquals(
        "no write in between: applied without a policy",
        "APPLIED",
        fieldResults.get(2).path("outcome").asText());
    assertEquals(
        "SN-1-B",
        get("/equipment/" + equipment, d, PW).expect(200).json().path("serialNumber").asText());
    assertEquals(
        "the review holds it, nothing changed",
        officeNotes,
        get("/sites/" + site, d, PW).expect(200).json().path("accessNotes").asText());

    JsonNode held =
        find(
            get("/me/sync-status?deviceId=" + device, techUser, PW)
                .expect(200)
                .json()
                .path("inReview"),
            h -> fieldOp.equals(h.path("opId").asText()));
    assertEquals(reviewId, held.path("reviewId").asText());
    assertEquals("OPEN", held.path("reviewStatus").asText());

    JsonNode openReviews = get("/reviews?status=OPEN", d, PW).expect(200).json();
    assertTrue(openReviews.has("nextCursor"));
    JsonNode review = find(openReviews.path("items"), r -> reviewId.equals(r.path("id").asText()));
    assertEquals("OPEN", review.path("status").asText());
    assertEquals("FIELD", review.path("kind").asText());
    assertEquals(jobA, review.path("jobId").asText());
    assertEquals("site.accessNotes", review.path("path").asText());
    assertEquals("Gate code 1234", review.path("baseValue").asText());
    assertEquals(officeNotes, review.path("serverValue").asText());
    assertEquals(deviceNotes, review.path("deviceValue").asText());
    Reply one = get("/reviews/" + reviewId, d, PW).expect(200);
    assertEquals("\"" + one.json().path("version").asLong() + "\"", one.header("ETag"));

    String resolution = "/reviews/" + reviewId + "/resolution";
    post(resolution, d, PW, "{\"choose\":\"DEVICE\",\"colour\":\"red\"}")
        .expectFieldError("colour");
    post(resolution, d, PW, "{\"choose\":\"MAYBE\"}").expectFieldError("choose");
    call("POST", resolution, d, PW, "text/plain", "{\"choose\":\"DEVICE\"}").expect(415);
    Reply resolvedReply = post(resolution, d, PW, "{\"choose\":\"DEVICE\"}").expect(200);
    JsonNode resolved = resolvedReply.json();
    assertEquals("RESOLVED", resolved.path("status").asText());
    assertEquals("DEVICE", resolved.path("resolution").asText());
    assertEquals(deviceNotes, resolved.path("resolvedValue").asText());
    assertEquals(d, resolved.path("resolvedBy").asText());
    assertEquals("\"" + resolved.path("version").asLong() + "\"", resolvedReply.header("ETag"));
    post(resolution, d, PW, "{\"choose\":\"SERVER\"}").expect(409);
    assertFalse(
        ids(get("/reviews?status=OPEN&limit=500", d, PW).expect(200).json().path("items"))
            .contains(reviewId));
    assertEquals(
        deviceNotes, get("/sites/" + site, d, PW).expect(200).json().path("accessNotes").asText());
    JsonNode heldNow =
        find(
            get("/me/sync-status?deviceId=" + device, techUser, PW)
                .expect(200)
                .json()
                .path("inReview"),
            h -> fieldOp.equals(h.path("opId").asText()));
    assertEquals("RESOLVED", heldNow.path("reviewStatus").asText());
    assertEquals("DEVICE", heldNow.path("resolution").asText());

    // ---- the office re-assigns a job and changes a price
    call(
            "PUT",
            "/jobs/" + jobC + "/assignment",
            d,
            PW,
            "application/json",
            assignment(otherId, tomorrow, "15:00", "16:00"))
        .expect(200);
    patch("/pricebook/parts/" + sku, fin, PW, "\"1\"", obj("unitPrice", "13.00")).expect(200);

    // the phone, not aware yet, moves C and notes on it: the fact applies, the move waits for the
    // office
    JsonNode lost =
        upload(
            techUser,
            device,
            List.of(
                event(12, jobC, "status", OCCURRED_AT, versionC, obj("to", "EN_ROUTE")),
                event(13, jobC, "note", OCCURRED_AT, versionC, obj("text", "Customer called"))));
    assertEquals(List.of("REVIEW", "APPLIED"), outcomes(lost));
    String statusReviewId = lost.get(0).path("reviewId").asText();
    JsonNode statusReview = get("/reviews/" + statusReviewId, d, PW).expect(200).json();
    assertEquals("STATUS", statusReview.path("kind").asText());
    assertEquals(jobC, statusReview.path("jobId").asText());
    assertEquals("EN_ROUTE", statusReview.path("deviceValue").asText());
    post(
            "/reviews/" + statusReviewId + "/resolution",
            d,
            PW,
            "{\"choose\":\"VALUE\",\"value\":\"ON_SITE\"}")
        .expect(400); // VALUE is for FIELD reviews only
    assertEquals(
        "SERVER",
        post("/reviews/" + statusReviewId + "/resolution", d, PW, "{\"choose\":\"SERVER\"}")
            .expect(200)
            .json()
            .path("resolution")
            .asText());
    JsonNode recordC = get("/jobs/" + jobC, d, PW).expect(200).json();
    assertEquals("DISPATCHED", recordC.path("status").asText());
    assertEquals(1, recordC.path("notes").size());

    // ---- the delta brings it all to the phone
    JsonNode delta = get("/me/packet?since=" + cursor, techUser, PW).expect(200).json();
    assertTrue(delta.path("delta").asBoolean());
    assertEquals(full.path("from"), delta.path("from"));
    assertEquals(full.path("to"), delta.path("to"));
    String cursor2 = delta.path("cursor").asText();
    assertNotEquals(cursor, cursor2);
    assertEquals(List.of(jobC), texts(delta.path("removed")));
    List<String> changed = ids(delta.path("jobs"));
    assertFalse("a removed job is not in jobs", changed.contains(jobC));
    assertTrue("B changed (events): " + changed, changed.contains(jobB));
    JsonNode deltaA = find(delta.path("jobs"), j -> jobA.equals(j.path("id").asText()));
    assertEquals(deviceNotes, deltaA.path("site").path("accessNotes").asText());
    assertEquals("SN-1-B", deltaA.path("equipment").path(0).path("serialNumber").asText());
    JsonNode deltaB = find(delta.path("jobs"), j -> jobB.equals(j.path("id").asText()));
    assertEquals("ON_SITE", deltaB.path("status").asText());
    assertEquals(
        "13.00",
        find(delta.path("priceBook").path("parts"), p -> sku.equals(p.path("sku").asText()))
            .path("unitPrice")
            .asText());

    // applying the delta to the packet gives the packet of now
    Map<String, JsonNode> onPhone = new LinkedHashMap<>();
    full.path("jobs").forEach(j -> onPhone.put(j.path("id").asText(), j));
    delta.path("removed").forEach(r -> onPhone.remove(r.asText()));
    delta.path("jobs").forEach(j -> onPhone.put(j.path("id").asText(), j));
    JsonNode now = get("/me/packet?days=2", techUser, PW).expect(200).json();
    assertEquals(List.of(jobB, jobD, jobA), ids(now.path("jobs")));
    for (JsonNode j : now.path("jobs")) {
      JsonNode mine = onPhone.get(j.path("id").asText());
      assertNotNull(j.path("id").asText() + " missing on the phone", mine);
      assertEquals(
          "job " + j.path("id").asText() + " on the phone after the delta vs a fresh packet",
          withoutRouteOrder(j),
          withoutRouteOrder(mine));
    }
    assertEquals(ids(now.path("jobs")).size(), onPhone.size());

    // nothing changed since: an empty delta
    JsonNode quiet = get("/me/packet?since=" + cursor2, techUser, PW).expect(200).json();
    assertEquals(List.of(), ids(quiet.path("jobs")));
    assertEquals(List.of(), texts(quiet.path("removed")));
    assertTrue(
        "no price book change: " + quiet.path("priceBook"), quiet.path("priceBook").isNull());

    // one job changes: the delta carries it with its place in the route (B, D, A)
    upload(
        techUser,
        device,
        List.of(
            event(14, jobA, "note", OCCURRED_AT, versionA, obj("text", "Roof hatch is stiff"))));
    JsonNode onlyA =
        get("/me/packet?since=" + quiet.path("cursor").asText(), techUser, PW).expect(200).json();
    assertEquals(List.of(jobA), ids(onlyA.path("jobs")));
    assertEquals(
        "routeOrder of A in a delta: its place in the route, as in a full packet",
        3,
        onlyA.path("jobs").get(0).path("routeOrder").asInt());
  }

  // ---------------------------------------------------------------- roles and parameters

  @Test
  public void rolesAndParameters() {
    String d = user("dispatcher");
    String fin = user("finance");
    String techUser = linkedTechnician(d)[0];
    String unlinked = user("technician");

    // the office's queues: dispatcher (and admin) only
    for (String who : List.of(fin, techUser)) {
      get("/reviews", who, PW).expect(403);
      get("/reviews?status=OPEN", who, PW).expect(403);
      get("/reviews/" + UUID.randomUUID(), who, PW).expect(403);
      post("/reviews/" + UUID.randomUUID() + "/resolution", who, PW, "{\"choose\":\"SERVER\"}")
          .expect(403);
      get("/sync/rejections", who, PW).expect(403);
      call("POST", "/sync/rejections/x/acknowledgement", who, PW, null, null).expect(403);
    }
    get("/reviews", "admin", ADMIN_PASSWORD).expect(200);
    get("/sync/rejections", "admin", ADMIN_PASSWORD).expect(200);
    get("/reviews", null, null).expect(401);
    get("/sync/rejections", null, null).expect(401);

    // /me/*: a technician linked to an active technician
    for (String who : List.of(d, fin, unlinked)) {
      get("/me/packet", who, PW).expect(403);
      get("/me/packet?since=abc", who, PW).expect(403);
      get("/me/sync-status", who, PW).expect(403);
    }
    get("/me/packet", "admin", ADMIN_PASSWORD).expect(403); // admin is linked to no technician
    get("/me/packet", null, null).expect(401);
    get("/me/sync-status", null, null).expect(401);

    // parameters
    for (String bad : List.of("0", "8", "-1", "two", "1.5", "")) {
      get("/me/packet?days=" + bad, techUser, PW).expectFieldError("days");
    }
    get("/me/packet?days=7", techUser, PW).expect(200);
    get("/me/packet?days=2&since=abc", techUser, PW).expectFieldError("since");
    get("/me/packet?since=not-a-cursor-of-this-server", techUser, PW).expectFieldError("since");
    get("/me/packet?since=", techUser, PW).expectFieldError("since");
    get("/me/sync-status", techUser, PW).expect(200);
    get("/me/sync-status?deviceId=never-used-" + UUID.randomUUID(), techUser, PW).expect(404);
    get("/reviews?status=CLOSED", d, PW).expectFieldError("status");
    get("/reviews?limit=501", d, PW).expectFieldError("limit");
    get("/reviews?status=resolved&limit=1", d, PW).expect(200);
    get("/reviews/" + UUID.randomUUID(), d, PW).expect(404);
    post("/reviews/" + UUID.randomUUID() + "/resolution", d, PW, "{\"choose\":\"SERVER\"}")
        .expect(404);
    get("/sync/rejections?acknowledged=maybe", d, PW).expectFieldError("acknowledged");
    get("/sync/rejections?limit=0", d, PW).expectFieldError("limit");
    get("/sync/rejections?cursor=", d, PW).expectFieldError("cursor");

    // the document describes the new paths
    JsonNode paths = get("/openapi.json", null, null).expect(200).json().path("paths");
    for (String p :
        List.of(
            "/me/packet",
            "/me/sync-status",
            "/reviews",
            "/reviews/{id}",
            "/reviews/{id}/resolution",
            "/sync/rejections",
            "/sync/rejections/{opId}/acknowledgement")) {
      assertTrue(p + " in openapi.json", paths.has(p));
    }
  }

  // ---------------------------------------------------------------- the body cap

  @Test
  public void uploadsOverTheBodyCapAreRefusedWhole() throws Exception {
    String d = user("dispatcher");
    String techUser = linkedTechnician(d)[0];
    String device = "big-" + UUID.randomUUID();
    String big = batch(device, 100 * 1024);
    assertTrue(big.length() > EVENTS_MAX_BYTES);

    // declared length over the cap
    Reply declared = post("/me/events", techUser, PW, big).expect(413);
    assertEquals(EVENTS_MAX_BYTES, declared.json().path("maxBytes").asLong());

    // chunked, no length: counted while read
    Reply chunked = chunked(techUser, big).expect(413);
    assertEquals(EVENTS_MAX_BYTES, chunked.json().path("maxBytes").asLong());

    // nothing stored: the device was never used
    get("/me/sync-status?deviceId=" + device, techUser, PW).expect(404);

    // under the cap, chunked or not, the upload goes through
    String small = batch(device, 48 * 1024);
    assertTrue(small.length() < EVENTS_MAX_BYTES);
    JsonNode results = chunked(techUser, small).expect(200).json().path("results");
    assertTrue(results.size() > 0);
    for (JsonNode r : results) {
      // the job is not the technician's: stored and rejected, not a 413
      assertEquals("REJECTED", r.path("outcome").asText());
    }
    get("/me/sync-status?deviceId=" + device, techUser, PW).expect(200);
  }

  // ---------------------------------------------------------------- helpers

  /** A technician user linked to a new active technician: {username, technicianId}. */
  private static String[] linkedTechnician(String dispatcher) {
    String username = user("technician");
    String techId =
        id(
            post(
                "/technicians",
                dispatcher,
                PW,
                obj("name", "Tech " + username, "username", username)));
    return new String[] {username, techId};
  }

  private static String job(
      String d, String customer, String site, String equipment, String title) {
    ObjectNode draft =
        JSON.createObjectNode()
            .put("customerId", customer)
            .put("siteId", site)
            .put("title", title)
            .put("type", "hvac.maintenance");
    if (equipment != null) {
      draft.putArray("equipmentIds").add(equipment);
    }
    return id(post("/jobs", d, PW, draft.toString()));
  }

  private static void assign(
      String d, String job, String techId, LocalDate day, String start, String end) {
    call(
            "PUT",
            "/jobs/" + job + "/assignment",
            d,
            PW,
            "application/json",
            assignment(techId, day, start, end))
        .expect(200);
  }

  private static String assignment(String techId, LocalDate day, String start, String end) {
    return "{\"technicianIds\":[\""
        + techId
        + "\"],\"start\":\""
        + day
        + "T"
        + start
        + ":00Z\",\"end\":\""
        + day
        + "T"
        + end
        + ":00Z\"}";
  }

  private static JsonNode upload(String techUser, String device, List<String> events) {
    JsonNode results =
        post("/me/events", techUser, PW, events(device, events)).expect(200).json().path("results");
    assertEquals("one result per event", events.size(), results.size());
    return results;
  }

  /** A batch of notes on an unknown job, of about {@code bytes} bytes. */
  private static String batch(String device, int bytes) {
    List<String> events = new ArrayList<>();
    String text = "x".repeat(4000);
    int size = 0;
    for (int i = 1; size < bytes; i++) {
      String e = event(i, UUID.randomUUID().toString(), "note", OCCURRED_AT, 1, obj("text", text));
      events.add(e);
      size += e.length() + 1;
    }
    return events(device, events);
  }

  /** POST /me/events with a body of unknown length (chunked transfer coding). */
  private static Reply chunked(String user, String body) throws IOException, InterruptedException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api() + "/me/events"))
            .timeout(Duration.ofSeconds(30))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((user + ":" + PW).getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
            .build();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r);
  }

  private static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path("id").asText()));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    assertTrue("an array: " + array, array.isArray());
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> opIds(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("items").forEach(n -> out.add(n.path("opId").asText()));
    return out;
  }

  private static List<String> outcomes(JsonNode results) {
    List<String> out = new ArrayList<>();
    results.forEach(n -> out.add(n.path("outcome").asText()));
    return out;
  }

  private static JsonNode find(JsonNode array, java.util.function.Predicate<JsonNode> test) {
    for (JsonNode n : array) {
      if (test.test(n)) {
        return n;
      }
    }
    throw new AssertionError("not found in " + array);
  }

  private static JsonNode withoutRouteOrder(JsonNode job) {
    ObjectNode copy = job.deepCopy();
    copy.remove("routeOrder");
    return copy;
  }
}
