package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Hashtable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.inject.Inject;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.master.Customer;
import org.fieldops.spi.accounting.AccountingConnector;
import org.fieldops.spi.accounting.ExportResult;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The billing handoff over HTTP in the real distribution: a completion uploaded through {@code
 * /me/events} becomes a draft within seconds; finance approves it (gapless number, job INVOICED),
 * downloads the PDF, and the outbox delivers it once to the configured connector.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BillingIT extends FieldOpsTestSupport {
  private static final String OCCURRED_AT = "2026-12-04T09:05:00Z";

  @Inject BundleContext context;

  private final Map<String, Integer> delivered = new ConcurrentHashMap<>();
  private ServiceRegistration<AccountingConnector> registration;

  @Configuration
  public Option[] config() {
    return OptionUtils.combine(
        distribution(),
        editConfigurationFilePut("etc/org.fieldops.billing.cfg", "connector", "itest"));
  }

  @Before
  public void ready() throws InterruptedException {
    awaitApi();
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(AccountingConnector.NAME, "itest");
    registration =
        context.registerService(
            AccountingConnector.class,
            new AccountingConnector() {
              @Override
              public ExportResult exportInvoice(Invoice invoice, Customer customer, String key) {
                delivered.merge(key, 1, Integer::sum);
                return ExportResult.success("ledger-" + key);
              }

              @Override
              public ExportResult voidInvoice(Invoice invoice, Customer customer, String key) {
                delivered.merge(key, 1, Integer::sum);
                return ExportResult.success("void-" + key);
              }
            },
            props);
  }

  @After
  public void unregister() {
    registration.unregister();
  }

  @Test
  public void aCompletionUploadBecomesADraftThatFinanceApprovesAndTheConnectorGetsOnce()
      throws Exception {
    String d = user("dispatcher");
    String fin = user("finance");
    String techUser = user("technician");
    String suffix = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    post(
            "/pricebook/labor-rates",
            fin,
            PW,
            "{\"code\":\"L-"
                + suffix
                + "\",\"name\":\"Service hour\",\"hourlyRate\":\"100.00\",\"currency\":\"USD\"}")
        .expect(201);
    post(
            "/pricebook/parts",
            fin,
            PW,
            "{\"sku\":\"P-"
                + suffix
                + "\",\"name\":\"Fuse\",\"unitPrice\":\"5.00\",\"currency\":\"USD\"}")
        .expect(201);
    String customer =
        id(
            post(
                "/customers",
                d,
                PW,
                "{\"name\":\"Billing Co\",\"currency\":\"USD\",\"taxRate\":\"0.10\","
                    + "\"billingAddress\":\"9 Ledger St\"}"));
    String site =
        id(
            post(
                "/sites",
                d,
                PW,
                "{\"customerId\":\"" + customer + "\",\"address\":\"9 Ledger St\"}"));
    String tech =
        id(
            post(
                "/technicians",
                d,
                PW,
                "{\"name\":\"Bill Tech\",\"username\":\"" + techUser + "\"}"));
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
                    + "\",\"title\":\"Fuse box\",\"type\":\"electrical.repair\"}"));
    call(
            "PUT",
            "/jobs/" + job + "/assignment",
            d,
            PW,
            "application/json",
            "{\"technicianIds\":[\""
                + tech
                + "\"],\"start\":\"2026-12-04T09:00:00Z\",\"end\":\"2026-12-04T11:00:00Z\"}")
        .expect(200);

    String device = "phone-" + UUID.randomUUID();
    String batch =
        events(
            device,
            event(1, job, "status", OCCURRED_AT, 2, "{\"to\":\"ON_SITE\"}"),
            event(
                2,
                job,
                "checklist",
                OCCURRED_AT,
                2,
                "{\"templateId\":\"site-safety\",\"itemId\":\"ppe\",\"answer\":true}"),
            event(
                3,
                job,
                "labor",
                OCCURRED_AT,
                2,
                "{\"startedAt\":\"2026-12-04T09:00:00Z\",\"endedAt\":\"2026-12-04T09:50:00Z\","
                    + "\"rateCode\":\"L-"
                    + suffix
                    + "\"}"),
            event(4, job, "part", OCCURRED_AT, 2, "{\"sku\":\"P-" + suffix + "\",\"quantity\":2}"),
            event(5, job, "status", OCCURRED_AT, 2, "{\"to\":\"COMPLETED\"}"));
    long uploaded = System.nanoTime();
    JsonNode results = post("/me/events", techUser, PW, batch).expect(200).json().get("results");
    for (JsonNode r : results) {
      assertEquals(r.toString(), "APPLIED", r.get("outcome").asText());
    }

    // the draft appears within seconds (the worker polls every 250 ms)
    JsonNode draft = null;
    while (draft == null && System.nanoTime() - uploaded < 10_000_000_000L) {
      JsonNode items = get("/invoices?jobId=" + job, fin, PW).expect(200).json().get("items");
      draft = items.size() == 1 ? items.get(0) : null;
      if (draft == null) {
        Thread.sleep(100);
      }
    }
    assertTrue("no draft within 10 s", draft != null);
    System.out.println(
        "draft " + (System.nanoTime() - uploaded) / 1_000_000 + " ms after the upload's response");
    assertEquals("DRAFT", draft.get("status").asText());
    assertEquals("110.00", draft.get("subtotal").asText()); // 1.00 h × 100.00 + 2 × 5.00
    assertEquals("11.00", draft.get("tax").asText());
    assertEquals("121.00", draft.get("total").asText());
    String invoice = draft.get("id").asText();

    // roles: dispatchers read, only finance acts; technicians see nothing
    get("/invoices/" + invoice, d, PW).expect(200);
    call("POST", "/invoices/" + invoice + "/approval", d, PW, null, null).expect(403);
    get("/invoices", techUser, PW).expect(403);
    call("PATCH", "/invoices/" + invoice, fin, PW, "application/json", "{\"adjustments\":[]}")
        .expect(428);
    call(
            "PATCH",
            "/invoices/" + invoice,
            fin,
            PW,
            "application/json",
            "{\"adjustments\":[{\"description\":\"x\",\"unitPrice\":\"abc\"}]}",
            "If-Match",
            "\"" + draft.get("version").asText() + "\"")
        .expectFieldError("adjustments[0].unitPrice");

    Reply approved = call("POST", "/invoices/" + invoice + "/approval", fin, PW, null, null);
    approved.expect(200);
    String number = approved.json().get("number").asText();
    assertTrue(number, number.matches("INV-\\d{6}"));
    call("POST", "/invoices/" + invoice + "/approval", fin, PW, null, null).expect(409);
    assertEquals("INVOICED", get("/jobs/" + job, d, PW).expect(200).json().get("status").asText());

    HttpResponse<byte[]> pdf =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(api() + "/invoices/" + invoice + "/document"))
                    .header("Authorization", basic(fin))
                    .header("Accept", "application/pdf")
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, pdf.statusCode());
    assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
    assertEquals("%PDF", new String(pdf.body(), 0, 4, StandardCharsets.US_ASCII));

    // the outbox delivers it to the configured connector, once
    JsonNode export = null;
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (export == null && System.nanoTime() < deadline) {
      for (JsonNode e :
          get("/accounting/exports?status=DONE", fin, PW).expect(200).json().get("items")) {
        if (number.equals(e.get("invoiceNumber").asText())) {
          export = e;
        }
      }
      if (export == null) {
        Thread.sleep(200);
      }
    }
    assertTrue("export not DONE within 15 s", export != null);
    assertEquals("ledger-" + number, export.get("externalId").asText());
    assertEquals(1, export.get("attempts").asInt());
    assertEquals(Integer.valueOf(1), delivered.get(number));
    call("POST", "/accounting/exports/" + export.get("id").asText() + "/retry", fin, PW, null, null)
        .expect(409);

    call("POST", "/invoices/" + invoice + "/sending", fin, PW, null, null).expect(200);
    assertEquals("CLOSED", get("/jobs/" + job, d, PW).expect(200).json().get("status").asText());
    // voiding takes an optional reason; without a body it is fine, a non-JSON body is not
    call("POST", "/invoices/" + invoice + "/voiding", fin, PW, "text/plain", "oops").expect(415);
    Reply voided = call("POST", "/invoices/" + invoice + "/voiding", fin, PW, null, null);
    voided.expect(200);
    assertEquals("VOID", voided.json().get("status").asText());
  }

  private static String basic(String user) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + PW).getBytes(StandardCharsets.UTF_8));
  }
}
