package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** A technician's uploads over HTTP in the real distribution: exactly once, durable outcomes. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SyncIT extends FieldOpsTestSupport {
  private static final String OCCURRED_AT = "2026-12-03T09:05:00Z";

  @Configuration
  public Option[] config() {
    return distribution();
  }

  @Before
  public void ready() throws InterruptedException {
    awaitApi();
  }

  /** A dispatched job assigned to a fresh technician; returns {techUser, jobId}. */
  private String[] dispatchedJob() {
    String d = user("dispatcher");
    String techUser = user("technician");
    String customer = id(post("/customers", d, PW, "{\"name\":\"Sync Co\",\"currency\":\"USD\"}"));
    String site =
        id(
            post(
                "/sites",
                d,
                PW,
                "{\"customerId\":\"" + customer + "\",\"address\":\"1 Field Rd\"}"));
    String tech =
        id(
            post(
                "/technicians",
                d,
                PW,
                "{\"name\":\"Field Tech\",\"username\":\"" + techUser + "\"}"));
    String job =
        id(
            post(
                "/jobs",
                d,
                PW,
                "{\"customerId\":\""
                    + customer
                    + "\",\"siteId\":\""
                    + site
                    + "\",\"title\":\"Sync job\",\"type\":\"general.service\"}"));
    call(
            "PUT",
            "/jobs/" + job + "/assignment",
            d,
            PW,
            "application/json",
            "{\"technicianIds\":[\""
                + tech
                + "\"],\"start\":\"2026-12-03T09:00:00Z\",\"end\":\"2026-12-03T10:00:00Z\"}")
        .expect(200);
    return new String[] {techUser, job, d};
  }

  @Test
  public void aDaysUploadAppliesOnceAndTellsWhatWasRefused() {
    String[] f = dispatchedJob();
    String tech = f[0];
    String job = f[1];
    String device = "phone-" + UUID.randomUUID();
    String batch =
        events(
            device,
            event("op-1", 1, job, "status", OCCURRED_AT, 2, "{\"to\":\"ON_SITE\"}"),
            event(
                "op-2",
                2,
                job,
                "note",
                OCCURRED_AT,
                2,
                "{\"text\":\"Customer asked for a quote\"}"),
            event("op-3", 3, job, "status", OCCURRED_AT, 2, "{\"to\":\"COMPLETED\"}"),
            event(
                "op-4",
                4,
                job,
                "checklist",
                OCCURRED_AT,
                2,
                "{\"templateId\":\"site-safety\",\"itemId\":\"ppe\",\"answer\":true}"),
            event("op-5", 5, job, "status", OCCURRED_AT, 2, "{\"to\":\"FLYING\"}"));
    JsonNode first = post("/me/events", tech, PW, batch).expect(200).json().get("results");
    assertEquals(5, first.size());
    assertEquals("APPLIED", first.get(0).get("outcome").asText());
    assertEquals("APPLIED", first.get(1).get("outcome").asText());
    assertEquals(
        "REJECTED", first.get(2).get("outcome").asText()); // the safety checklist is open at seq 3
    assertEquals("CHECKLIST_INCOMPLETE", first.get(2).get("reason").asText());
    assertTrue(first.get(2).get("retryable").asBoolean());
    assertEquals("APPLIED", first.get(3).get("outcome").asText());
    assertEquals("INVALID_DATA", first.get(4).get("reason").asText());

    // the same upload again: all DUPLICATE with the first outcomes, nothing applied twice
    JsonNode again = post("/me/events", tech, PW, batch).expect(200).json().get("results");
    for (int i = 0; i < 5; i++) {
      assertEquals("DUPLICATE", again.get(i).get("outcome").asText());
      assertEquals(first.get(i).get("outcome").asText(), again.get(i).get("firstOutcome").asText());
    }
    JsonNode record = get("/jobs/" + job, f[2], PW).expect(200).json();
    assertEquals(1, record.get("notes").size());
    assertEquals("ON_SITE", record.get("status").asText());

    // the technician fixes the cause and sends the completion again under a new opId
    JsonNode done =
        post(
                "/me/events",
                tech,
                PW,
                events(
                    device,
                    event("op-6", 6, job, "status", OCCURRED_AT, 2, "{\"to\":\"COMPLETED\"}")))
            .expect(200)
            .json()
            .get("results");
    assertEquals("APPLIED", done.get(0).get("outcome").asText());
    assertEquals(
        "COMPLETED", get("/jobs/" + job, f[2], PW).expect(200).json().get("status").asText());
  }

  @Test
  public void devicesBelongToOneTechnicianAndEnvelopesAreChecked() {
    String[] f = dispatchedJob();
    String device = "shared-" + UUID.randomUUID();
    post("/me/events", f[0], PW, events(device)).expect(200);
    String other = dispatchedJob()[0];
    post(
            "/me/events",
            other,
            PW,
            events(device, event("x-1", 1, f[1], "note", OCCURRED_AT, 2, "{\"text\":\"hi\"}")))
        .expect(403);
    call("POST", "/devices/" + device + "/release", f[2], PW, null, null).expect(204);
    post("/me/events", other, PW, events(device)).expect(200);

    post(
            "/me/events",
            f[0],
            PW,
            "{\"deviceId\":\"d-"
                + UUID.randomUUID()
                + "\",\"events\":[{\"seq\":1,\"jobId\":\""
                + f[1]
                + "\"}]}")
        .expectFieldError("events[0].opId");
    post("/me/events", f[0], PW, "{\"events\":[]}").expectFieldError("deviceId");
    StringBuilder many =
        new StringBuilder("{\"deviceId\":\"big-" + UUID.randomUUID() + "\",\"events\":[");
    for (int i = 0; i < 501; i++) {
      many.append(i == 0 ? "" : ",")
          .append(event("m-" + i, i, f[1], "note", OCCURRED_AT, 2, "{\"text\":\"n\"}"));
    }
    post("/me/events", f[0], PW, many.append("]}").toString()).expect(413);
    post("/me/events", f[2], PW, "{\"deviceId\":\"x\",\"events\":[]}")
        .expect(403); // a dispatcher is no technician
    post("/me/events", user("technician"), PW, "{\"deviceId\":\"y\",\"events\":[]}")
        .expect(403); // not linked
  }
}
