package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The connection of an upload cut by a {@link CuttingProxy} in front of the real server (run by
 * {@link DistributionProcess}): after the server committed and answered but before the device read
 * the answer, or before the server got the whole request. The device resends the identical batch,
 * as the sync protocol tells it to on any network error.
 */
public class CutConnectionIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static DistributionProcess server;
  private CuttingProxy proxy;
  private FieldCrew crew;

  @BeforeClass
  public static void startServer() throws Exception {
    server = DistributionProcess.shared();
  }

  @AfterClass
  public static void stopServer() throws InterruptedException {
    DistributionProcess.stopShared();
  }

  @Before
  public void setUp() throws IOException {
    proxy = new CuttingProxy(server.port());
    crew = FieldCrew.create(server, "Cut");
  }

  @After
  public void closeProxy() throws IOException {
    proxy.close();
  }

  /**
   * A batch of five events on a dispatched job: ON_SITE, a note, a priced part, a part with an
   * unknown SKU and a move back to EN_ROUTE. The proxy passes the whole request, reads the server's
   * whole answer and closes the connection without passing it on; then it does the same to the
   * first resend; the second resend passes.
   *
   * <p>Expected: both cut calls fail with an IOException at the device. The withheld first answer
   * is APPLIED, APPLIED, APPLIED, REJECTED UNKNOWN_CODE, REJECTED ILLEGAL_TRANSITION, and the job
   * shows the effect before any resend. The withheld second answer and the answer the device
   * finally reads are DUPLICATE for every event, with {@code firstOutcome}, {@code reason}, {@code
   * retryable}, {@code jobVersion} and {@code message} of the first processing. The job changes no
   * more after the first call: one note, one part line, status ON_SITE, same version.
   */
  @Test
  public void anAnswerLostAfterTheCommitIsRepeatedAsDuplicateAndAppliedOnce() throws Exception {
    String job = crew.dispatchedJob("Cut after commit", 0);
    String sku = "CUT-" + UUID.randomUUID().toString().substring(0, 8);
    server
        .admin(
            "POST",
            "/pricebook/parts",
            "{\"sku\":\""
                + sku
                + "\",\"name\":\"Gasket\",\"unitPrice\":\"4.25\",\"currency\":\"USD\"}")
        .expect(201);
    String note = "cut note " + UUID.randomUUID();
    String batch =
        FieldCrew.batch(
            "cut-" + UUID.randomUUID(),
            List.of(
                FieldCrew.event("c-1", 1, job, "status", data("to", "ON_SITE")),
                FieldCrew.event("c-2", 2, job, "note", FieldCrew.note(note)),
                FieldCrew.event("c-3", 3, job, "part", data("sku", sku).put("quantity", 2)),
                FieldCrew.event(
                    "c-4", 4, job, "part", data("sku", "NO-SUCH-" + sku).put("quantity", 1)),
                FieldCrew.event("c-5", 5, job, "status", data("to", "EN_ROUTE"))));

    proxy.cutNext(CuttingProxy.Cut.AFTER_ANSWER);
    IOException lost = assertThrows(IOException.class, () -> uploadThroughProxy(batch));
    CuttingProxy.Withheld first = proxy.withheld();
    assertEquals("the one connection of the cut call", 1, proxy.connections());
    assertTrue(first.statusLine(), first.statusLine().startsWith("HTTP/1.1 200"));
    JsonNode firstResults = DistributionProcess.JSON.readTree(first.body()).path("results");
    assertOutcomes(
        firstResults,
        "APPLIED",
        "APPLIED",
        "APPLIED",
        "REJECTED UNKNOWN_CODE",
        "REJECTED ILLEGAL_TRANSITION");
    JsonNode afterFirst = crew.job(job);
    assertEffectOnce(afterFirst, note, sku);

    proxy.cutNext(CuttingProxy.Cut.AFTER_ANSWER);
    assertThrows(IOException.class, () -> uploadThroughProxy(batch));
    assertDuplicatesOf(
        firstResults, DistributionProcess.JSON.readTree(proxy.withheld().body()).path("results"));

    DistributionProcess.Reply retry = uploadThroughProxy(batch);
    assertDuplicatesOf(firstResults, retry.expect(200).path("results"));
    assertEquals("connections: two cut, one passed", 3, proxy.connections());

    JsonNode end = crew.job(job);
    assertEffectOnce(end, note, sku);
    assertEquals(
        "the resends changed nothing",
        afterFirst.path("version").asLong(),
        end.path("version").asLong());
    System.out.println(
        "CutConnectionIT: the device saw \""
            + lost
            + "\"; the server had answered "
            + first.statusLine()
            + " "
            + first.body()
            + "; the resend read "
            + retry.body());
  }

  /**
   * A note and ON_SITE; the proxy passes the request head and half of its body, then closes both
   * sides.
   *
   * <p>Expected: the device gets an IOException; nothing of the batch is stored, so the resend of
   * the identical batch answers APPLIED for both events (not DUPLICATE), and the job has the note
   * once and status ON_SITE.
   */
  @Test
  public void aRequestCutBeforeItArrivedIsAppliedByTheResend() throws Exception {
    String job = crew.dispatchedJob("Cut mid request", 1);
    String note = "half sent " + UUID.randomUUID();
    String batch =
        FieldCrew.batch(
            "cut-" + UUID.randomUUID(),
            List.of(
                FieldCrew.event("h-1", 1, job, "note", FieldCrew.note(note)),
                FieldCrew.event("h-2", 2, job, "status", data("to", "ON_SITE"))));

    proxy.cutNext(CuttingProxy.Cut.MID_REQUEST);
    assertThrows(IOException.class, () -> uploadThroughProxy(batch));
    JsonNode results = uploadThroughProxy(batch).expect(200).path("results");
    assertOutcomes(results, "APPLIED", "APPLIED");
    JsonNode record = crew.job(job);
    assertEquals("ON_SITE", record.path("status").asText());
    assertEquals(List.of(note), texts(record.path("notes")));
  }

  /** One upload on a new connection through the proxy (a fresh client: no pooled connection). */
  private DistributionProcess.Reply uploadThroughProxy(String batch) throws IOException {
    HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return DistributionProcess.send(
        fresh,
        proxy.api() + "/me/events",
        "POST",
        crew.techUser,
        FieldCrew.TECH_PASSWORD,
        batch,
        TIMEOUT);
  }

  private static ObjectNode data(String key, String value) {
    return DistributionProcess.JSON.createObjectNode().put(key, value);
  }

  /** Outcomes in request order, each "OUTCOME" or "OUTCOME REASON". */
  private static void assertOutcomes(JsonNode results, String... expected) {
    assertEquals(results.toString(), expected.length, results.size());
    for (int i = 0; i < expected.length; i++) {
      JsonNode r = results.get(i);
      String actual =
          r.path("outcome").asText()
              + (r.path("reason").isTextual() ? " " + r.get("reason").asText() : "");
      assertEquals("event " + i + ": " + r, expected[i], actual);
    }
  }

  private static void assertDuplicatesOf(JsonNode first, JsonNode again) {
    assertEquals(again.toString(), first.size(), again.size());
    for (int i = 0; i < first.size(); i++) {
      JsonNode f = first.get(i);
      JsonNode d = again.get(i);
      String what = "event " + i + ": first " + f + ", again " + d;
      assertEquals(what, f.path("opId"), d.path("opId"));
      assertEquals(what, "DUPLICATE", d.path("outcome").asText());
      assertEquals(what, f.path("outcome").asText(), d.path("firstOutcome").asText());
      assertEquals(what, f.path("reason"), d.path("reason"));
      assertEquals(what, f.path("retryable"), d.path("retryable"));
      assertEquals(what, f.path("jobVersion"), d.path("jobVersion"));
      assertEquals(what, f.path("message"), d.path("message"));
    }
  }

  private static void assertEffectOnce(JsonNode job, String note, String sku) {
    assertEquals("ON_SITE", job.path("status").asText());
    assertEquals(List.of(note), texts(job.path("notes")));
    JsonNode parts = job.path("parts");
    assertEquals(parts.toString(), 1, parts.size());
    assertEquals(sku, parts.get(0).path("code").asText());
    assertEquals(
        0, new BigDecimal(parts.get(0).path("quantity").asText()).compareTo(BigDecimal.valueOf(2)));
    assertEquals("FIELD", parts.get(0).path("source").asText());
  }

  private static List<String> texts(JsonNode lines) {
    List<String> texts = new ArrayList<>();
    lines.forEach(l -> texts.add(l.path("text").asText()));
    return texts;
  }
}
