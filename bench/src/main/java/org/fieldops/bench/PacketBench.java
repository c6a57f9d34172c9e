package org.fieldops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Part 3: packet build time for one technician with {@code --jobs} (30) jobs today in a database
 * holding a haystack of jobs ({@link Haystack}). Links a user to the haystack's needle technician
 * and gives it its jobs of today over the API (created and dispatched by the office, so they carry
 * checklists, audit and change-log rows as in production), then times, one request at a time:
 *
 * <ul>
 *   <li>full: {@code GET /me/packet?days=1};
 *   <li>delta, nothing changed: {@code GET /me/packet?since=CURSOR} with the cursor of a full
 *       packet;
 *   <li>delta after changes: the same cursor after the needle's device uploaded notes to 3 of its
 *       jobs and the office edited 100 other technicians' jobs of today.
 * </ul>
 *
 * Reports latency percentiles and the server's CPU time per request (less sensitive than latency to
 * other load on a shared machine).
 */
final class PacketBench {
  private final Args args;
  private final Api api;
  private final Api.Login admin;

  PacketBench(Args args) {
    this.args = args;
    this.api = new Api(args.get("api", "http://localhost:8287/api/v1"));
    this.admin =
        args.get("admin-password", "").isEmpty()
            ? null
            : Api.Login.of("admin", args.get("admin-password", ""));
  }

  /** The figures of one kind of request. */
  record Kind(String name, Stats latency, double serverCpuMillis, double bytes, int jobs) {
    ObjectNode json() {
      ObjectNode o = Api.JSON.createObjectNode();
      o.put("name", name);
      o.put("p50Millis", latency.percentileMillis(50));
      o.put("p90Millis", latency.percentileMillis(90));
      o.put("p99Millis", latency.percentileMillis(99));
      o.put("meanMillis", latency.meanMillis());
      o.put("serverCpuMillisPerRequest", serverCpuMillis);
      o.put("bytes", bytes);
      o.put("jobs", jobs);
      return o;
    }
  }

  void run() throws Exception {
    api.awaitHealthy(java.time.Duration.ofMinutes(3));
    JsonNode hay = Api.JSON.readTree(Files.readAllBytes(Path.of(args.require("haystack"))));
    int jobs = args.getInt("jobs", 30);
    int requests = args.getInt("requests", 200);
    long serverPid = args.getLong("server-pid", -1);
    String label = args.get("label", hay.get("jobs").asText() + " jobs");

    long t0 = System.nanoTime();
    Needle needle = setUp(hay, jobs);
    System.out.printf(
        Locale.ROOT,
        "needle: user %s linked to technician %s, %d jobs dispatched for today over the API (%.1f"
            + " s)%n",
        needle.login.username(),
        hay.get("needleTechnicianId").asText(),
        needle.jobIds.size(),
        (System.nanoTime() - t0) / 1e9);

    // warm-up
    String cursor = null;
    for (int i = 0; i < Math.max(50, requests / 2); i++) {
      JsonNode p = api.get("/me/packet?days=1", needle.login).expect(200).json();
      cursor = p.get("cursor").asText();
      api.get("/me/packet?since=" + enc(cursor), needle.login).expect(200);
    }
    List<Kind> kinds = new ArrayList<>();
    Kind full = time("full (?days=1)", "/me/packet?days=1", needle.login, requests, serverPid);
    if (full.jobs() != needle.jobIds.size()) {
      throw new IllegalStateException(
          "the full packet has "
              + full.jobs()
              + " jobs, expected "
              + needle.jobIds.size()
              + " (did the day change during the run?)");
    }
    kinds.add(full);
    cursor = api.get("/me/packet?days=1", needle.login).expect(200).json().get("cursor").asText();
    kinds.add(
        time(
            "delta, nothing changed",
            "/me/packet?since=" + enc(cursor),
            needle.login,
            requests,
            serverPid));

    // changes after the cursor: the needle's own (3 jobs) and the office's on others' jobs
    ObjectNode batch = Api.JSON.createObjectNode();
    batch.put("deviceId", "needle-phone");
    ArrayNode events = batch.putArray("events");
    for (int i = 0; i < 3; i++) {
      ObjectNode e = events.addObject();
      e.put("opId", UUID.randomUUID().toString());
      e.put("seq", i + 1);
      e.put("jobId", needle.jobIds.get(i));
      e.put("type", "note");
      e.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      e.put("baseVersion", 2);
      e.putObject("data").put("text", "Arrived early, gate code changed.");
    }
    api.post("/me/events", needle.login, batch).expect(200);
    int edited = 0;
    for (JsonNode other : hay.path("otherJobsToday")) {
      if (edited == 100) {
        break;
      }
      Api.Reply r =
          api.patch(
              "/jobs/" + other.asText(),
              admin,
              "\"2\"",
              Map.of("description", "Customer asked to call ahead (bench edit)."));
      if (r.status() == 200) {
        edited++;
      }
    }
    Thread.sleep(1_000); // the sequencer stamps within milliseconds
    Kind changed =
        time(
            "delta after changes (3 own jobs, " + edited + " others')",
            "/me/packet?since=" + enc(cursor),
            needle.login,
            requests,
            serverPid);
    if (changed.jobs() != 3) {
      System.out.println(
          "WARNING: the delta after changes has " + changed.jobs() + " jobs, expected 3");
    }
    kinds.add(changed);

    System.out.println();
    System.out.println("== Part 3: packet build time with " + label + " in the database");
    for (Kind k : kinds) {
      System.out.printf(
          Locale.ROOT,
          "%-45s %s; server CPU %.1f ms/request (less idle background); %.0f bytes, %d jobs%n",
          k.name(),
          k.latency().summary(),
          k.serverCpuMillis(),
          k.bytes(),
          k.jobs());
    }
    ObjectNode out = Api.JSON.createObjectNode();
    out.put("label", label);
    out.put("haystackJobs", hay.get("jobs").asLong());
    out.put("requests", requests);
    ArrayNode arr = out.putArray("kinds");
    kinds.forEach(k -> arr.add(k.json()));
    Path file = Path.of(args.get("out", "target/results/packet.json"));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
  }

  private Kind time(String name, String path, Api.Login who, int n, long serverPid)
      throws InterruptedException {
    // the server's own background work (the change sequencer polls every few milliseconds), over
    // 3 s of idle before and after; the lower rate is subtracted below
    double idleBefore = idleTicksPerNano(serverPid);
    long[] nanos = new long[n];
    long bytes = 0;
    int jobs = -1;
    long started = System.nanoTime();
    long ticks = Machine.processTicks(serverPid);
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      Api.Reply r = api.get(path, who).expect(200);
      nanos[i] = System.nanoTime() - t;
      bytes += r.body().length;
      if (i == 0) {
        jobs = r.json().get("jobs").size();
      }
    }
    long after = Machine.processTicks(serverPid);
    long elapsed = System.nanoTime() - started;
    double background = Math.min(idleBefore, idleTicksPerNano(serverPid)) * elapsed;
    double cpu = ticks < 0 || after < 0 ? Double.NaN : (after - ticks - background) * 10.0 / n;
    return new Kind(name, new Stats(nanos), cpu, bytes / (double) n, jobs);
  }

  private static double idleTicksPerNano(long serverPid) throws InterruptedException {
    long ticks = Machine.processTicks(serverPid);
    long t = System.nanoTime();
    Thread.sleep(3_000);
    return (Machine.processTicks(serverPid) - ticks) / (double) (System.nanoTime() - t);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The needle technician's login and jobs of today. */
  record Needle(Api.Login login, List<String> jobIds) {}

  private Needle setUp(JsonNode hay, int jobs) throws Exception {
    if (admin == null) {
      throw new IllegalArgumentException("--admin-password=… is required");
    }
    for (String code : IngestBench.RATES) {
      api.post(
              "/pricebook/labor-rates",
              admin,
              Map.of(
                  "code",
                  code,
                  "name",
                  code,
                  "hourlyRate",
                  "95.00",
                  "currency",
                  "USD",
                  "active",
                  true))
          .expect(201, 409);
    }
    for (String sku : IngestBench.SKUS) {
      api.post(
              "/pricebook/parts",
              admin,
              Map.of(
                  "sku",
                  sku,
                  "name",
                  "Part " + sku,
                  "unitPrice",
                  "20.00",
                  "currency",
                  "USD",
                  "active",
                  true))
          .expect(201, 409);
    }
    String username = "needle";
    String password = "needle-password-1";
    api.post(
            "/users",
            admin,
            Map.of("username", username, "password", password, "roles", List.of("technician")))
        .expect(201);
    String tech = hay.get("needleTechnicianId").asText();
    JsonNode t = api.get("/technicians/" + tech, admin).expect(200).json();
    api.patch(
            "/technicians/" + tech,
            admin,
            "\"" + t.get("version").asLong() + "\"",
            Map.of("username", username))
        .expect(200);
    Instant day = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    List<String> ids = new ArrayList<>();
    JsonNode sites = hay.get("needleSites");
    for (int i = 0; i < jobs; i++) {
      JsonNode s = sites.get(i % sites.size());
      Map<String, Object> job = new HashMap<>();
      job.put("customerId", s.get("customerId").asText());
      job.put("siteId", s.get("siteId").asText());
      job.put("equipmentIds", List.of(s.get("equipmentId").asText()));
      job.put("title", "Needle job " + (i + 1));
      job.put("description", "Today's work for the needle technician.");
      job.put("type", "hvac.maintenance");
      job.put("priority", "NORMAL");
      job.put("windowStart", day.plus(5, ChronoUnit.HOURS).toString());
      job.put("windowEnd", day.plus(23, ChronoUnit.HOURS).toString());
      job.put("estimatedMinutes", 25);
      String id = api.post("/jobs", admin, job).expect(201).json().get("id").asText();
      Instant start = day.plus(5 * 60 + 30L * i, ChronoUnit.MINUTES);
      api.put(
              "/jobs/" + id + "/assignment",
              admin,
              Map.of(
                  "technicianIds",
                  List.of(tech),
                  "start",
                  start.toString(),
                  "end",
                  start.plus(25, ChronoUnit.MINUTES).toString()))
          .expect(200);
      ids.add(id);
    }
    return new Needle(Api.Login.of(username, password), ids);
  }

  /** Prints the part 3 table from the result files of several haystack sizes. */
  static void report(List<Path> files) throws Exception {
    List<JsonNode> runs = new ArrayList<>();
    for (Path f : files) {
      runs.add(Api.JSON.readTree(Files.readAllBytes(f)));
    }
    runs.sort(
        (a, b) -> Long.compare(a.get("haystackJobs").asLong(), b.get("haystackJobs").asLong()));
    if (runs.isEmpty()) {
      System.out.println("part 3: no results");
      return;
    }
    System.out.println("== Part 3 summary: p50 latency / server CPU per request");
    JsonNode base = runs.get(0);
    for (JsonNode run : runs) {
      System.out.println(run.get("label").asText() + ":");
      for (int i = 0; i < run.get("kinds").size(); i++) {
        JsonNode k = run.get("kinds").get(i);
        JsonNode b = base.get("kinds").get(i);
        System.out.printf(
            Locale.ROOT,
            "  %-45s p50 %6.1f ms (x%.2f), p99 %6.1f ms, CPU %5.1f ms (x%.2f)%n",
            k.get("name").asText(),
            k.get("p50Millis").asDouble(),
            k.get("p50Millis").asDouble() / b.get("p50Millis").asDouble(),
            k.get("p99Millis").asDouble(),
            k.get("serverCpuMillisPerRequest").asDouble(),
            k.get("serverCpuMillisPerRequest").asDouble()
                / b.get("serverCpuMillisPerRequest").asDouble());
      }
    }
    System.out.println("(xN: relative to " + base.get("label").asText() + ")");
  }
}
