package org.fieldops.sample.accounting.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceLine;
import org.fieldops.api.billing.InvoiceLineKind;
import org.fieldops.api.billing.InvoiceStatus;
import org.fieldops.api.master.Customer;
import org.fieldops.spi.accounting.ExportResult;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The HTTP connector against a local accounting API that misbehaves on purpose. */
public class HttpAccountingConnectorTest {
  private static final Instant NOW = Instant.parse("2024-06-04T08:00:00Z");
  private static final Customer ACME =
      new Customer(
          "cust-1",
          "Acme Rooftops",
          "1 Main St",
          "ap@acme.example",
          new BigDecimal("0.0825"),
          "USD",
          1,
          NOW,
          NOW);

  /** A request the test server received. */
  record Received(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** An answer the test server gives: status, optional Retry-After, body, delay. */
  record Scripted(int status, String retryAfter, String body, long delayMillis) {}

  private final Deque<Scripted> script = new ArrayDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ObjectMapper json =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private HttpServer server;
  private HttpAccountingConnector connector;

  @Before
  public void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/invoices", this::answer);
    server.start();
    connector = connector(endpoint(), "secret-token", Duration.ofSeconds(5));
  }

  @After
  public void stopServer() {
    connector.deactivate();
    server.stop(0);
  }

  private URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/invoices");
  }

  private static HttpAccountingConnector connector(URI url, String token, Duration timeout) {
    return new HttpAccountingConnector(url, token, timeout, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private void answer(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(
        new Received(
            ex.getRequestMethod(), ex.getRequestURI().toString(), ex.getRequestHeaders(), body));
    Scripted s;
    synchronized (script) {
      s = script.isEmpty() ? new Scripted(500, null, "no script", 0) : script.poll();
    }
    try {
      Thread.sleep(s.delayMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (s.retryAfter() != null) {
      ex.getResponseHeaders().add("Retry-After", s.retryAfter());
    }
    ex.getResponseHeaders().add("Content-Type", "application/json");
    byte[] out = s.body() == null ? new byte[0] : s.body().getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(s.status(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      ex.getResponseBody().write(out);
    }
    ex.close();
  }

  private void then(int status, String retryAfter, String body) {
    script.add(new Scripted(status, retryAfter, body, 0));
  }

  private static Invoice invoice(String number, InvoiceStatus status, Instant voidedAt) {
    InvoiceLine labor =
        new InvoiceLine(
            "l1",
            InvoiceLineKind.LABOR,
            "Labor, standard rate",
            new BigDecimal("2.00"),
            new BigDecimal("95.00"),
            new BigDecimal("190.00"),
            "jl1");
    return new Invoice(
        "inv-id-1",
        number,
        "job-1",
        "cust-1",
        status,
        "USD",
        List.of(labor),
        new BigDecimal("190.00"),
        new BigDecimal("0.0825"),
        new BigDecimal("15.68"),
        new BigDecimal("205.68"),
        List.of(),
        List.of(),
        2,
        NOW,
        NOW,
        Instant.parse("2024-06-03T16:30:00Z"),
        "finance.fay",
        null,
        voidedAt);
  }

  @Test
  public void failsTwiceThenDeliversAlwaysWithTheSameIdempotencyKey() throws IOException {
    then(503, null, "{\"error\":\"maintenance\"}");
    then(429, "1", "{\"error\":\"slow down\"}");
    then(201, null, "{\"id\":\"acc-7781\",\"status\":\"booked\"}");
    Invoice inv = invoice("INV-000042", InvoiceStatus.APPROVED, null);

    // the platform's outbox retries; each attempt is one call with the same key
    ExportResult first = connector.exportInvoice(inv, ACME, "INV-000042");
    ExportResult second = connector.exportInvoice(inv, ACME, "INV-000042");
    ExportResult third = connector.exportInvoice(inv, ACME, "INV-000042");

    assertEquals(ExportResult.Kind.TRANSIENT, first.kind());
    assertNull(first.retryAfter());
    assertTrue(first.message(), first.message().contains("HTTP 503"));
    assertEquals(ExportResult.Kind.TRANSIENT, second.kind());
    assertEquals(Duration.ofSeconds(1), second.retryAfter());
    assertEquals(ExportResult.Kind.SUCCESS, third.kind());
    assertEquals("acc-7781", third.externalId());

    assertEquals(3, received.size());
    for (Received r : received) {
      assertEquals("POST", r.method());
      assertEquals("/v1/invoices", r.path());
      assertEquals("INV-000042", r.header("Idempotency-Key"));
      assertEquals("Bearer secret-token", r.header("Authorization"));
      assertTrue(r.header("Content-Type").startsWith("application/json"));
      assertNotNull(r.header("X-Request-Id"));
    }
    assertEquals(
        "a new request id on every call",
        3,
        new HashSet<>(received.stream().map(r -> r.header("X-Request-Id")).toList()).size());

    JsonNode doc = json.readTree(received.get(2).body());
    assertEquals("invoice", doc.get("type").asText());
    assertEquals("INV-000042", doc.get("number").asText());
    assertEquals("USD", doc.get("currency").asText());
    assertEquals("Acme Rooftops", doc.get("customer").get("name").asText());
    assertEquals("LABOR", doc.get("lines").get(0).get("kind").asText());
    assertEquals(
        0,
        new BigDecimal("190.00").compareTo(doc.get("lines").get(0).get("amount").decimalValue()));
    assertEquals(0, new BigDecimal("205.68").compareTo(doc.get("total").decimalValue()));
    assertTrue(
        "money keeps its cents on the wire", received.get(2).body().contains("\"amount\":190.00"));
    assertEquals("2024-06-03T16:30:00Z", doc.get("issuedAt").asText());
  }

  @Test
  public void aBadRequestIsPermanent() {
    then(400, null, "{\"error\":\"unknown customer cust-1\"}");

    ExportResult r =
        connector.exportInvoice(
            invoice("INV-000043", InvoiceStatus.APPROVED, null), ACME, "INV-000043");

    assertEquals(ExportResult.Kind.PERMANENT, r.kind());
    assertTrue(r.message(), r.message().contains("HTTP 400"));
    assertTrue(r.message(), r.message().contains("unknown customer"));
    assertFalse("no secrets in messages", r.message().contains("secret-token"));
  }

  @Test
  public void otherStatusesAreClassifiedLikeTheBigApis() {
    then(401, null, null);
    then(409, null, null);
    then(408, null, null);
    then(502, "Tue, 04 Jun 2024 08:00:30 GMT", null);
    then(200, null, "{\"id\":12345}");
    then(204, null, null);
    Invoice inv = invoice("INV-000044", InvoiceStatus.APPROVED, null);

    assertEquals(ExportResult.Kind.PERMANENT, connector.exportInvoice(inv, ACME, "k").kind());
    assertEquals(ExportResult.Kind.PERMANENT, connector.exportInvoice(inv, ACME, "k").kind());
    assertEquals(ExportResult.Kind.TRANSIENT, connector.exportInvoice(inv, ACME, "k").kind());
    ExportResult dated = connector.exportInvoice(inv, ACME, "k");
    assertEquals(ExportResult.Kind.TRANSIENT, dated.kind());
    assertEquals("Retry-After as an HTTP date", Duration.ofSeconds(30), dated.retryAfter());
    assertEquals("12345", connector.exportInvoice(inv, ACME, "k").externalId());
    ExportResult noBody = connector.exportInvoice(inv, ACME, "k");
    assertEquals(ExportResult.Kind.SUCCESS, noBody.kind());
    assertNull(noBody.externalId());
  }

  @Test
  public void aVoidIsPostedToTheInvoicesVoidResourceWithItsOwnKey() throws IOException {
    then(200, null, "{\"id\":\"acc-7781\"}");

    ExportResult r =
        connector.voidInvoice(
            invoice("INV-000042", InvoiceStatus.VOID, Instant.parse("2024-06-04T07:00:00Z")),
            ACME,
            "INV-000042:VOID");

    assertEquals(ExportResult.Kind.SUCCESS, r.kind());
    Received req = received.get(0);
    assertEquals("/v1/invoices/INV-000042/void", req.path());
    assertEquals("INV-000042:VOID", req.header("Idempotency-Key"));
    JsonNode doc = json.readTree(req.body());
    assertEquals("void", doc.get("type").asText());
    assertEquals("2024-06-04T07:00:00Z", doc.get("voidedAt").asText());
  }

  @Test
  public void aSlowServerIsATransientTimeout() {
    script.add(new Scripted(200, null, "{}", 3_000));
    HttpAccountingConnector impatient = connector(endpoint(), "", Duration.ofSeconds(1));
    try {
      ExportResult r =
          impatient.exportInvoice(
              invoice("INV-000045", InvoiceStatus.APPROVED, null), ACME, "INV-000045");

      assertEquals(ExportResult.Kind.TRANSIENT, r.kind());
      assertTrue(r.message(), r.message().contains("within 1 s"));
      assertNull("no token configured, none sent", received.get(0).header("Authorization"));
    } finally {
      impatient.deactivate();
    }
  }

  @Test
  public void anUnreachableServerIsTransient() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    HttpAccountingConnector nowhere =
        connector(
            URI.create("http://127.0.0.1:" + closedPort + "/v1/invoices?key=abc"),
            "",
            Duration.ofSeconds(2));
    try {
      ExportResult r =
          nowhere.exportInvoice(
              invoice("INV-000046", InvoiceStatus.APPROVED, null), ACME, "INV-000046");

      assertEquals(ExportResult.Kind.TRANSIENT, r.kind());
      assertFalse("no query (may hold a secret) in messages", r.message().contains("key=abc"));
    } finally {
      nowhere.deactivate();
    }
  }

  @Test
  public void voidTargetKeepsTheQueryAndEncodesTheNumber() {
    assertEquals(
        URI.create("https://books.example/v1/invoices/INV%2F7/void?tenant=42"),
        HttpAccountingConnector.voidTarget(
            URI.create("https://books.example/v1/invoices/?tenant=42"), "INV/7"));
  }

  @Test(expected = IllegalArgumentException.class)
  public void theUrlMustBeHttpOrHttps() {
    HttpAccountingConnector.endpoint("ftp://books.example/");
  }

  @Test
  public void retryAfterIsReadInBothForms() {
    assertEquals(Duration.ofSeconds(120), HttpAnswer.retryAfter(" 120 ", NOW));
    assertEquals(
        Duration.ofSeconds(90), HttpAnswer.retryAfter("Tue, 04 Jun 2024 08:01:30 GMT", NOW));
    assertEquals(Duration.ZERO, HttpAnswer.retryAfter("Mon, 03 Jun 2024 08:00:00 GMT", NOW));
    assertNull(HttpAnswer.retryAfter("soon", NOW));
  }
}
