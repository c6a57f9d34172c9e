#if( $kind == "checklist" )##
package ${package}.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.fieldops.spi.checklist.ChecklistContext;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ChecklistProvider;
import org.fieldops.spi.checklist.ChecklistTemplate;
import org.fieldops.spi.checklist.ItemType;
import org.osgi.service.component.annotations.Component;

/**
 * A {@link ChecklistProvider}: a boiler inspection checklist for every job with equipment of type
 * {@code boiler} or {@code boiler.*}. Change the template, the rule in {@code templatesFor} and
 * the extra check in {@code validate} to your own.
 *
 * <p>Called by the platform when a job is first dispatched (the templates are then fixed on the
 * job), from any thread, within 2 seconds; a failure counts as "no templates". Keep it stateless.
 */
@Component(service = ChecklistProvider.class, property = "service.ranking:Integer=0")
public class ${className} implements ChecklistProvider {

  /** Raise the version whenever the items change: jobs keep the version they were dispatched with. */
  static final ChecklistTemplate TEMPLATE =
      new ChecklistTemplate(
          "${pluginName}",
          1,
          "Boiler inspection",
          List.of(
              new ChecklistItem(
                  "flue-clear", "Flue clear and sealed", ItemType.YES_NO, true, null, null, null,
                  null),
              new ChecklistItem(
                  "pressure",
                  "System pressure, cold",
                  ItemType.NUMBER,
                  true,
                  BigDecimal.ZERO,
                  new BigDecimal("4"),
                  "bar",
                  null),
              new ChecklistItem(
                  "condition",
                  "Overall condition",
                  ItemType.CHOICE,
                  true,
                  null,
                  null,
                  null,
                  List.of("good", "needs work", "unsafe")),
              new ChecklistItem(
                  "nameplate-photo", "Photo of the nameplate", ItemType.PHOTO, false, null, null,
                  null, null)));

  @Override
  public List<ChecklistTemplate> templatesFor(ChecklistContext context) {
    boolean boiler =
        context.equipmentTypes().stream()
            .anyMatch(type -> type.equals("boiler") || type.startsWith("boiler."));
    return boiler ? List.of(TEMPLATE) : List.of();
  }

  @Override
  public Optional<String> validate(ChecklistTemplate template, ChecklistItem item, Object answer) {
    // the platform has already checked the type and the range; this is a rule of your own
    if ("pressure".equals(item.id())
        && answer instanceof BigDecimal bar
        && bar.signum() == 0) {
      return Optional.of("0 bar: is the gauge connected and the system filled?");
    }
    return Optional.empty();
  }
}
#elseif( $kind == "policy" )##
package ${package}.internal;

import org.fieldops.spi.conflict.ConflictPolicy;
import org.fieldops.spi.conflict.Decision;
import org.fieldops.spi.conflict.FieldConflict;
import org.osgi.service.component.annotations.Component;

/**
 * A {@link ConflictPolicy}: when a technician's access notes only add to what the office wrote
 * meanwhile (the device's text contains the server's), the technician's text wins; anything else
 * passes to the next policy (in the end the office reviews it). Change {@code decide} to your own
 * rule.
 *
 * <p>Asked in {@code service.ranking} order (highest first); the first decision wins; {@code null}
 * passes. Called from any thread, within 500 ms, never while the platform holds locks; an exception
 * or a time-out counts as "passes". Keep it stateless and free of I/O.
 */
@Component(
    service = ConflictPolicy.class,
    property = {ConflictPolicy.NAME + "=" + ${className}.NAME, "service.ranking:Integer=50"})
public class ${className} implements ConflictPolicy {

  /** The name in event results ({@code ${pluginName}:TAKE_DEVICE}), the audit and GET /plugins. */
  static final String NAME = "${pluginName}";

  @Override
  public Decision decide(FieldConflict conflict) {
    if (!"site.accessNotes".equals(conflict.path())) {
      return null;
    }
    String server = conflict.serverValue() == null ? "" : conflict.serverValue().strip();
    String device = conflict.deviceValue() == null ? "" : conflict.deviceValue().strip();
    if (!device.isEmpty() && device.contains(server)) {
      return Decision.takeDevice();
    }
    return null;
  }
}
#elseif( $kind == "connector" )##
package ${package}.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.master.Customer;
import org.fieldops.spi.accounting.AccountingConnector;
import org.fieldops.spi.accounting.ExportResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * An {@link AccountingConnector}: posts each approved invoice (and each void) as JSON to the
 * configured endpoint, with the idempotency key in {@code Idempotency-Key}. Registered only once
 * {@code etc/${package}.cfg} names an {@code endpoint}; selected with {@code connector =
 * ${pluginName}} in {@code etc/org.fieldops.billing.cfg}. Replace {@code json} and {@code
 * classify} with what your accounting system expects.
 *
 * <p>Called by the platform's outbox, one call per attempt, within the billing time bound (30 s by
 * default; keep {@code timeoutSeconds} below it). The same invoice may come again with the same
 * key (at least once): the remote must book a key once. An exception or a time-out counts as a
 * transient failure (retried with backoff).
 */
@Component(
    service = AccountingConnector.class,
    configurationPid = "${package}",
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    property = AccountingConnector.NAME + "=" + ${className}.NAME)
@Designate(ocd = ${className}.Config.class)
public class ${className} implements AccountingConnector {

  /** The name to select in etc/org.fieldops.billing.cfg. */
  static final String NAME = "${pluginName}";

  @ObjectClassDefinition(name = "FieldOps connector ${pluginName}")
  public @interface Config {
    @AttributeDefinition(description = "The invoices endpoint (http or https)")
    String endpoint();

    @AttributeDefinition(
        description = "Bearer token (key .token: a leading dot keeps it out of service properties)")
    String _token() default "";

    @AttributeDefinition(description = "Seconds to connect and to wait for an answer")
    int timeoutSeconds() default 10;
  }

  private final URI endpoint;
  private final String token;
  private final Duration timeout;
  private final HttpClient client;

  @Activate
  public ${className}(Config config) {
    this(URI.create(config.endpoint().strip()), config._token(), config.timeoutSeconds());
  }

  ${className}(URI endpoint, String token, int timeoutSeconds) {
    this.endpoint = endpoint;
    this.token = token == null ? "" : token.strip();
    this.timeout = Duration.ofSeconds(Math.max(1, Math.min(25, timeoutSeconds)));
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public ExportResult exportInvoice(Invoice invoice, Customer customer, String idempotencyKey) {
    return post(json("invoice", invoice, customer), idempotencyKey);
  }

  @Override
  public ExportResult voidInvoice(Invoice invoice, Customer customer, String idempotencyKey) {
    return post(json("void", invoice, customer), idempotencyKey);
  }

  private ExportResult post(String body, String idempotencyKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .header("X-Request-Id", UUID.randomUUID().toString())
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> answer =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return classify(answer.statusCode());
    } catch (IOException e) {
      return ExportResult.transientFailure("no answer from the endpoint: " + e.getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExportResult.transientFailure("interrupted", null);
    }
  }

  /** 2xx done; 408, 429 and 5xx try again later; anything else will not work as it is. */
  static ExportResult classify(int status) {
    if (status >= 200 && status < 300) {
      return ExportResult.success(null);
    }
    if (status == 408 || status == 429 || status >= 500) {
      return ExportResult.transientFailure("the endpoint answered " + status, null);
    }
    return ExportResult.permanentFailure("the endpoint refused the invoice: " + status);
  }

  /** The document: the invoice's number, customer and totals (money as decimal strings). */
  static String json(String type, Invoice invoice, Customer customer) {
    return "{\"type\":"
        + quote(type)
        + ",\"number\":"
        + quote(invoice.number())
        + ",\"customer\":"
        + quote(customer == null ? null : customer.name())
        + ",\"currency\":"
        + quote(invoice.currency())
        + ",\"total\":"
        + quote(invoice.total() == null ? null : invoice.total().toPlainString())
        + "}";
  }

  private static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
#end
