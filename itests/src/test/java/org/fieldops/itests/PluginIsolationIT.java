package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.inject.Inject;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.master.Customer;
import org.fieldops.spi.accounting.AccountingConnector;
import org.fieldops.spi.accounting.ExportResult;
import org.fieldops.spi.checklist.ChecklistProvider;
import org.fieldops.spi.conflict.ConflictPolicy;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * Plugins that throw or hang, registered in the running server beside the core: a dispatch, a
 * technician's upload (with a field conflict) and finance's approval still work within their usual
 * time, the failures count as "no templates", "passes" and a transient failure, and {@code GET
 * /plugins} shows each broken plugin FAILING with its bundle and last error.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginIsolationIT extends PluginTestSupport {
  @Inject BundleContext context;

  @Configuration
  public Option[] config() {
    return pluginOptions();
  }

  @Before
  public void ready() throws InterruptedException {
    awaitApi();
  }

  /** Blocks for {@code millis}, deaf to interruption: the worst kind of hang. */
  static void hang(long millis) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(until - System.nanoTime());
    }
  }

  private <S> ServiceRegistration<S> register(Class<S> type, S service, Object... props) {
    Hashtable<String, Object> p = new Hashtable<>();
    for (int i = 0; i + 1 < props.length; i += 2) {
      p.put((String) props[i], props[i + 1]);
    }
    return context.registerService(type, service, p);
  }

  @Test
  public void throwingAndHangingPluginsLeaveDispatchUploadsAndApprovalsWorking() throws Exception {
    Office o = new Office("Broken");
    String probe = context.getBundle().getSymbolicName();
    List<ServiceRegistration<?>> broken = new ArrayList<>();
    try {
      broken.add(
          register(
              ChecklistProvider.class,
              c -> {
                throw new IllegalStateException("checklist plugin bug");
              },
              Constants.SERVICE_RANKING,
              50,
              Constants.SERVICE_PID,
              "itest.throwing"));
      broken.add(
          register(
              ChecklistProvider.class,
              c -> {
                hang(5_000);
                return List.of();
              },
              Constants.SERVICE_RANKING,
              40,
              Constants.SERVICE_PID,
              "itest.hanging"));
      broken.add(
          register(
              ConflictPolicy.class,
              c -> {
                throw new IllegalStateException("policy plugin bug");
              },
              ConflictPolicy.NAME,
              "itest-throws",
              Constants.SERVICE_RANKING,
              300));
      broken.add(
          register(
              ConflictPolicy.class,
              c -> {
                hang(3_000);
                return org.fieldops.spi.conflict.Decision.takeDevice();
              },
              ConflictPolicy.NAME,
              "itest-hangs",
              Constants.SERVICE_RANKING,
              200));
      broken.add(
          register(
              AccountingConnector.class,
              new AccountingConnector() {
                @Override
                public ExportResult exportInvoice(Invoice invoice, Customer customer, String key) {
                  hang(10_000);
                  return ExportResult.success("too late");
                }

                @Override
                public ExportResult voidInvoice(Invoice invoice, Customer customer, String key) {
                  throw new IllegalStateException("connector plugin bug");
                }
              },
              AccountingConnector.NAME,
              "itest-broken"));
      configure("org.fieldops.billing", Map.of("connector", "itest-broken"));
      awaitActiveConnector("itest-broken", true);

      // dispatch: the broken providers add nothing and require nothing
      long started = System.nanoTime();
      String job = o.dispatchedJob("hvac.maintenance", null);
      long dispatchMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue("dispatch took " + dispatchMillis + " ms", dispatchMillis < 10_000);
      assertEquals(List.of("site-safety"), o.templates(job));
      JsonNode listing = plugins();
      JsonNode throwing = entry(listing, "checklistProviders", probe + "/itest.throwing");
      assertEquals("FAILING", throwing.path("state").asText());
      assertEquals(probe, throwing.path("bundle").asText());
      assertTrue(throwing.toString(), throwing.path("lastError").asText().contains("plugin bug"));
      JsonNode hanging = entry(listing, "checklistProviders", probe + "/itest.hanging");
      assertEquals("FAILING", hanging.path("state").asText());
      assertTrue(hanging.toString(), hanging.path("lastError").asText().contains("within 2 s"));

      // upload: a field conflict (both policies fail: the default sends it to review), then the
      // day's facts and the completion
      long seen = o.packetJob(job).path("version").asLong();
      patch("/sites/" + o.site, o.dispatcher, PW, "\"1\"", obj("accessNotes", "Gate 1"))
          .expect(200);
      started = System.nanoTime();
      JsonNode field =
          o.upload(
                  job,
                  seen,
                  "field",
                  obj("path", "site.accessNotes", "base", null, "value", "Gate 2, dog"))
              .get(0);
      long uploadMillis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(field.toString(), "REVIEW", field.path("outcome").asText());
      assertTrue("upload took " + uploadMillis + " ms", uploadMillis < 5_000);
      listing = plugins();
      assertEquals(
          "FAILING", entry(listing, "conflictPolicies", "itest-throws").path("state").asText());
      JsonNode slowPolicy = entry(listing, "conflictPolicies", "itest-hangs");
      assertEquals("FAILING", slowPolicy.path("state").asText());
      assertTrue(slowPolicy.toString(), slowPolicy.path("lastError").asText().contains("500 ms"));

      // approval works; the hanging connector's delivery is cut off and retried, visibly
      String number = o.completedAndApproved(job);
      JsonNode export =
          o.awaitExport(
              number, e -> "FAILED".equals(e.path("status").asText()), Duration.ofSeconds(20));
      assertTrue(export.toString(), export.path("lastError").asText().contains("within 4 s"));
      JsonNode connector = entry(plugins(), "accountingConnectors", "itest-broken");
      assertEquals("FAILING", connector.path("state").asText());
      assertTrue(connector.path("selected").asBoolean());
      assertEquals(probe, connector.path("bundle").asText());
    } finally {
      broken.forEach(ServiceRegistration::unregister);
      configure("org.fieldops.billing", Map.of("connector", ""));
    }
    awaitPlugins(
        "the broken plugins gone",
        p ->
            !p.toString().contains("\"bundle\":\"" + probe + "\"")
                && p.path("activeConnector").path("name").isNull());
  }

  private static JsonNode entry(JsonNode listing, String list, String name) {
    for (JsonNode p : listing.path(list)) {
      if (name.equals(p.path("name").asText())) {
        return p;
      }
    }
    throw new AssertionError(name + " not in " + list + ": " + listing);
  }
}
