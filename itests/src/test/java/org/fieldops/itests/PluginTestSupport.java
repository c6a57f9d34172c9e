package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;

/**
 * What the plugin ITs share: the sample jars of this build (their folder is passed into the
 * container), dropping a jar into {@code deploy/} of the running server and taking it out again,
 * editing {@code etc/*.cfg} as an operator would (applied without restart), polling {@code GET
 * /plugins}, and a small office: a customer, a site, a technician, jobs dispatched to them and
 * completed through {@code /me/events}, invoices approved by finance.
 */
public abstract class PluginTestSupport extends FieldOpsTestSupport {
  protected static final Duration DEPLOY_WAIT = Duration.ofSeconds(30);

  /**
   * The distribution with the samples' folder and version, and quick billing retries (1 s, capped
   * at 2 s) and a 4 s connector time bound, so that retries and time-outs fit a test.
   */
  protected Option[] pluginOptions(Option... more) {
    return OptionUtils.combine(
        OptionUtils.combine(
            distribution(),
            editConfigurationFilePut(
                "etc/system.properties",
                "fieldops.itest.samples",
                Paths.get(System.getProperty("fieldops.samples", "../plugins-sample"))
                    .toAbsolutePath()
                    .normalize()
                    .toString()),
            editConfigurationFilePut(
                "etc/system.properties",
                "fieldops.itest.version",
                System.getProperty("fieldops.version", "0.1.0-SNAPSHOT")),
            editConfigurationFilePut("etc/org.fieldops.billing.cfg", "backoffBaseSeconds", "1"),
            editConfigurationFilePut("etc/org.fieldops.billing.cfg", "backoffCapSeconds", "2"),
            editConfigurationFilePut(
                "etc/org.fieldops.billing.cfg", "connectorTimeoutSeconds", "4")),
        more);
  }

  // ---------------------------------------------------------------- deploy/ and etc/

  /** The jar this build made of a sample module, e.g. {@code checklist-hvac}. */
  protected static Path sampleJar(String module) {
    Path jar =
        Paths.get(
            System.getProperty("fieldops.itest.samples"),
            module,
            "target",
            "fieldops-sample-"
                + module
                + "-"
                + System.getProperty("fieldops.itest.version")
                + ".jar");
    assertTrue("sample jar missing (build plugins-sample first): " + jar, Files.isRegularFile(jar));
    return jar;
  }

  /** Copies a jar into {@code deploy/} of the running server, whole at once (a rename). */
  protected static Path deploy(Path jar) throws IOException {
    Path deployDir = Paths.get(System.getProperty("karaf.base"), "deploy");
    Path staging = Files.createTempDirectory(Paths.get(System.getProperty("karaf.data")), "drop");
    Path copy = Files.copy(jar, staging.resolve(jar.getFileName()));
    Path target = deployDir.resolve(jar.getFileName());
    Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.delete(staging);
    return target;
  }

  protected static void undeploy(Path deployed) throws IOException {
    Files.deleteIfExists(deployed);
  }

  /**
   * Sets keys of {@code etc/<pid>.cfg} (creating the file if needed), keeping its other lines, as
   * an operator's editor would; Karaf applies the change without restart.
   */
  protected static void configure(String pid, Map<String, String> values) throws IOException {
    Path file = Paths.get(System.getProperty("karaf.etc"), pid + ".cfg");
    List<String> lines =
        Files.exists(file)
            ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8))
            : new ArrayList<>();
    Map<String, String> left = new LinkedHashMap<>(values);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int eq = line.indexOf('=');
      if (line.startsWith("#") || eq < 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      if (left.containsKey(key)) {
        lines.set(i, key + " = " + left.remove(key));
      }
    }
    left.forEach((k, v) -> lines.add(k + " = " + v));
    Path tmp = file.resolveSibling(pid + ".tmp-" + UUID.randomUUID());
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  // ---------------------------------------------------------------- GET /plugins

  protected static JsonNode plugins() {
    return get("/plugins", "admin", ADMIN_PASSWORD).expect(200).json();
  }

  /** The entry of {@code bundle} in one list of {@code GET /plugins} ({@code null}: not there). */
  protected static JsonNode plugin(JsonNode plugins, String list, String bundle) {
    for (JsonNode p : plugins.path(list)) {
      if (bundle.equals(p.path("bundle").asText())) {
        return p;
      }
    }
    return null;
  }

  /** Polls {@code GET /plugins} until {@code condition} holds; returns that listing. */
  protected static JsonNode awaitPlugins(String what, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = plugins();
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(what + " within " + DEPLOY_WAIT.toSeconds() + " s; last: " + last);
  }

  protected static JsonNode awaitListed(String list, String bundle) throws InterruptedException {
    long start = System.nanoTime();
    JsonNode all = awaitPlugins(bundle + " listed", p -> plugin(p, list, bundle) != null);
    System.out.println(
        bundle + " listed " + (System.nanoTime() - start) / 1_000_000 + " ms after the drop");
    return plugin(all, list, bundle);
  }

  protected static void awaitGone(String list, String bundle) throws InterruptedException {
    awaitPlugins(bundle + " gone", p -> plugin(p, list, bundle) == null);
  }

  protected static void awaitActiveConnector(String name, boolean installed)
      throws InterruptedException {
    awaitPlugins(
        "active connector " + name + " installed=" + installed,
        p ->
            name.equals(p.path("activeConnector").path("name").asText(""))
                && p.path("activeConnector").path("installed").asBoolean() == installed);
  }

  // ---------------------------------------------------------------- a small office

  /** A dispatcher, finance, a customer with a site, and a technician with a login. */
  protected static final class Office {
    final String dispatcher = user("dispatcher");
    final String finance = user("finance");
    final String techUser = user("technician");
    final String customer;
    final String site;
    final String techId;
    final String labor = "L-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    final String device = "phone-" + UUID.randomUUID();
    private long seq;

    Office(String label) {
      customer =
          id(
              post(
                  "/customers",
                  dispatcher,
                  PW,
                  obj("name", label + " Co", "currency", "USD", "taxRate", "0.10")));
      site =
          id(
              post(
                  "/sites",
                  dispatcher,
                  PW,
                  obj("customerId", customer, "address", "1 " + label + " Rd")));
      techId = id(post("/technicians", dispatcher, PW, obj("name", "Tech", "username", techUser)));
      post(
              "/pricebook/labor-rates",
              finance,
              PW,
              obj("code", labor, "name", "Hour", "hourlyRate", "100.00", "currency", "USD"))
          .expect(201);
    }

    /** A piece of equipment at the site, installed today. */
    String equipment(String type, String serialNumber) {
      return id(
          post(
              "/equipment",
              dispatcher,
              PW,
              obj(
                  "siteId",
                  site,
                  "type",
                  type,
                  "make",
                  "Carrier",
                  "model",
                  "48TC",
                  "serialNumber",
                  serialNumber,
                  "installedOn",
                  LocalDate.now(ZoneOffset.UTC).toString())));
    }

    /** A job (with the given equipment, if any), dispatched to the technician for tomorrow. */
    String dispatchedJob(String type, String equipment) {
      ObjectNode draft =
          JSON.createObjectNode()
              .put("customerId", customer)
              .put("siteId", site)
              .put("title", "Plugin test " + type)
              .put("type", type);
      if (equipment != null) {
        draft.putArray("equipmentIds").add(equipment);
      }
      String job = id(post("/jobs", dispatcher, PW, draft.toString()));
      LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(1);
      call(
              "PUT",
              "/jobs/" + job + "/assignment",
              dispatcher,
              PW,
              "application/json",
              "{\"technicianIds\":[\""
                  + techId
                  + "\"],\"start\":\""
                  + day
                  + "T09:00:00Z\",\"end\":\""
                  + day
                  + "T10:00:00Z\"}")
          .expect(200);
      return job;
    }

    JsonNode job(String job) {
      return get("/jobs/" + job, dispatcher, PW).expect(200).json();
    }

    /** Template ids fixed on the job. */
    List<String> templates(String job) {
      List<String> ids = new ArrayList<>();
      job(job).path("checklists").forEach(c -> ids.add(c.path("template").path("id").asText()));
      return ids;
    }

    /** The job as the technician's packet shows it. */
    JsonNode packetJob(String job) {
      for (JsonNode j : get("/me/packet?days=2", techUser, PW).expect(200).json().path("jobs")) {
        if (job.equals(j.path("id").asText())) {
          return j;
        }
      }
      throw new AssertionError("job " + job + " not in the technician's packet");
    }

    /** Uploads events (type, data JSON) against {@code baseVersion}; returns the results. */
    JsonNode upload(String job, long baseVersion, String... typeAndData) {
      List<String> batch = new ArrayList<>();
      for (int i = 0; i + 1 < typeAndData.length; i += 2) {
        batch.add(
            event(
                ++seq,
                job,
                typeAndData[i],
                "2026-12-04T09:05:00Z",
                baseVersion,
                typeAndData[i + 1]));
      }
      return post("/me/events", techUser, PW, events(device, batch))
          .expect(200)
          .json()
          .path("results");
    }

    /** Works the (equipment-less) job to completion and has finance approve its draft. */
    String completedAndApproved(String job) throws InterruptedException {
      long version = job(job).path("version").asLong();
      JsonNode results =
          upload(
              job,
              version,
              "status",
              "{\"to\":\"ON_SITE\"}",
              "checklist",
              "{\"templateId\":\"site-safety\",\"itemId\":\"ppe\",\"answer\":true}",
              "labor",
              "{\"startedAt\":\"2026-12-04T09:00:00Z\",\"endedAt\":\"2026-12-04T09:45:00Z\","
                  + "\"rateCode\":\""
                  + labor
                  + "\"}",
              "status",
              "{\"to\":\"COMPLETED\"}");
      for (JsonNode r : results) {
        assertEquals(r.toString(), "APPLIED", r.path("outcome").asText());
      }
      String invoice = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (invoice == null && System.nanoTime() < deadline) {
        JsonNode items =
            get("/invoices?jobId=" + job, finance, PW).expect(200).json().path("items");
        invoice = items.size() == 1 ? items.get(0).path("id").asText() : null;
        if (invoice == null) {
          Thread.sleep(100);
        }
      }
      assertTrue("no draft within 15 s", invoice != null);
      return call("POST", "/invoices/" + invoice + "/approval", finance, PW, null, null)
          .expect(200)
          .json()
          .path("number")
          .asText();
    }

    /** The invoice's export once {@code done} holds for it. */
    JsonNode awaitExport(String number, Predicate<JsonNode> done, Duration within)
        throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      JsonNode last = null;
      while (System.nanoTime() < deadline) {
        for (JsonNode e :
            get("/accounting/exports?limit=500", finance, PW).expect(200).json().path("items")) {
          if (number.equals(e.path("invoiceNumber").asText())
              && "INVOICE".equals(e.path("kind").asText())) {
            last = e;
          }
        }
        if (last != null && done.test(last)) {
          return last;
        }
        Thread.sleep(200);
      }
      throw new AssertionError("export of " + number + " not as expected; last: " + last);
    }
  }
}
