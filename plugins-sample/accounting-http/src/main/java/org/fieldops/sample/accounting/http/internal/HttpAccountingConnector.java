package org.fieldops.sample.accounting.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.master.Customer;
import org.fieldops.spi.accounting.AccountingConnector;
import org.fieldops.spi.accounting.ExportResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sample {@link AccountingConnector} named {@code http}: posts approved invoices as JSON to {@code
 * <url>} and voids to {@code <url>/<number>/void} (see {@link InvoicePayload}), the way Stripe-,
 * Xero- or QuickBooks-style APIs are called.
 *
 * <p>Every call carries {@code Idempotency-Key: <key>} (the invoice number, or {@code
 * <number>:VOID}: the remote must answer a repeated key with the first result instead of booking
 * twice), a fresh {@code X-Request-Id} (a UUID, for both sides' logs) and, when a token is
 * configured ({@code .token}), {@code Authorization: Bearer <token>}. The answer is classified by
 * {@link HttpAnswer}; a connection failure or a time-out is TRANSIENT. Messages never contain the
 * token or the URL's query.
 *
 * <p>Configuration {@code etc/org.fieldops.sample.accounting.http.cfg} is required (without it the
 * connector is not registered, and exports wait PENDING). A change re-creates the component. Keep
 * {@code timeoutSeconds} below the platform's {@code connectorTimeoutSeconds} (30 s by default).
 */
@Component(
    service = AccountingConnector.class,
    configurationPid = HttpAccountingConnector.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    property = AccountingConnector.NAME + "=" + HttpAccountingConnector.NAME)
@Designate(ocd = HttpAccountingConnector.Config.class)
public class HttpAccountingConnector implements AccountingConnector {
  static final String PID = "org.fieldops.sample.accounting.http";
  static final String NAME = "http";
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String REQUEST_ID = "X-Request-Id";
  private static final Logger LOG = LoggerFactory.getLogger(HttpAccountingConnector.class);
  private static final int MAX_BODY = 64 * 1024;

  @ObjectClassDefinition(
      name = "FieldOps sample: HTTP accounting connector",
      description = "Posts approved and voided invoices as JSON to a REST endpoint")
  public @interface Config {
    @AttributeDefinition(
        description = "Endpoint for invoices, e.g. https://books.example/v1/invoices")
    String url();

    /**
     * {@code .token} in the configuration: the leading dot keeps it out of the service properties
     * (DS does not publish private properties), so {@code service:list} does not show it.
     */
    @AttributeDefinition(
        type = AttributeType.PASSWORD,
        description = "Bearer token sent as Authorization; empty: none")
    String _token() default "";

    @AttributeDefinition(description = "Seconds to connect and to wait for an answer (1-25)")
    int timeoutSeconds() default 10;
  }

  private final URI endpoint;
  private final String token;
  private final Duration timeout;
  private final Clock clock;
  private final ExecutorService executor;
  private final HttpClient client;
  private final ObjectMapper json = JsonMapper.builder().build();

  @Activate
  public HttpAccountingConnector(Config config) {
    this(
        endpoint(config.url()),
        config._token(),
        Duration.ofSeconds(Math.max(1, Math.min(25, config.timeoutSeconds()))),
        Clock.systemUTC());
    LOG.info("HTTP accounting connector posting to {}", where(endpoint));
  }

  HttpAccountingConnector(URI endpoint, String token, Duration timeout, Clock clock) {
    this.endpoint = endpoint;
    this.token = token == null ? "" : token.strip();
    this.timeout = timeout;
    this.clock = clock;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fieldops-accounting-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  /** Stops the client's threads; a call in flight finishes or times out. */
  @Deactivate
  void deactivate() {
    executor.shutdown();
  }

  @Override
  public ExportResult exportInvoice(Invoice invoice, Customer customer, String idempotencyKey) {
    return post(endpoint, InvoicePayload.invoice(invoice, customer), idempotencyKey);
  }

  @Override
  public ExportResult voidInvoice(Invoice invoice, Customer customer, String idempotencyKey) {
    String number = invoice.number() != null ? invoice.number() : idempotencyKey;
    return post(
        voidTarget(endpoint, number), InvoicePayload.voided(invoice, customer), idempotencyKey);
  }

  /** {@code <url>/<number>/void}, keeping the URL's query. */
  static URI voidTarget(URI endpoint, String number) {
    String path =
        (endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", ""))
            + "/"
            + URLEncoder.encode(number, StandardCharsets.UTF_8).replace("+", "%20")
            + "/void";
    return URI.create(
        endpoint.getScheme()
            + "://"
            + endpoint.getRawAuthority()
            + path
            + (endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery()));
  }

  private ExportResult post(URI target, Map<String, Object> document, String key) {
    if (key == null || key.isBlank()) {
      return ExportResult.permanentFailure("no idempotency key");
    }
    String requestId = UUID.randomUUID().toString();
    byte[] body;
    try {
      body = json.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      return ExportResult.permanentFailure("cannot write the invoice as JSON: " + e.getMessage());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header(IDEMPOTENCY_KEY, key)
            .header(REQUEST_ID, requestId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<InputStream> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      String answer = read(response.body());
      ExportResult r =
          HttpAnswer.classify(
              response.statusCode(),
              response.headers().firstValue("Retry-After"),
              answer,
              where(target),
              json,
              clock.instant());
      LOG.info(
          "POST {} for {} (request {}): HTTP {} → {}",
          where(target),
          key,
          requestId,
          response.statusCode(),
          r.kind());
      return r;
    } catch (HttpTimeoutException e) {
      return ExportResult.transientFailure(
          "no answer from " + where(target) + " within " + timeout.toSeconds() + " s", null);
    } catch (IOException e) {
      return ExportResult.transientFailure("POST " + where(target) + " failed: " + e, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExportResult.transientFailure("interrupted while posting to " + where(target), null);
    }
  }

  /** At most {@link #MAX_BODY} bytes of the answer, as text; the rest is not read. */
  private static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
    }
  }

  static URI endpoint(String url) {
    URI u = URI.create(url == null ? "" : url.strip());
    if (!u.isAbsolute()
        || !("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
        || u.getHost() == null) {
      throw new IllegalArgumentException(
          PID + ": url must be an absolute http or https URL, not '" + url + "'");
    }
    return u;
  }

  /** The URL without user info, query or fragment: safe to show. */
  static String where(URI u) {
    return u.getScheme()
        + "://"
        + u.getHost()
        + (u.getPort() < 0 ? "" : ":" + u.getPort())
        + (u.getRawPath() == null ? "" : u.getRawPath());
  }
}
