package org.fieldops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Part 1: events applied per second over HTTP. Creates (as admin, over the API) a price book, one
 * customer, a site with one unit of equipment per technician, N technician users with their
 * technicians and their dispatched jobs for today; then N simulated devices upload batches of
 * events concurrently to {@code POST /me/events}, each device its own technician's jobs.
 */
final class IngestBench {
  static final String[] SKUS = {"FLT-2025", "BELT-A42", "SEAL-CR5"};
  static final String[] RATES = {"STD", "OT"};

  /** One simulated phone: its technician's login, its device id and jobs, its counters. */
  static final class Device {
    final Api.Login login;
    final String deviceId;
    final List<String> jobIds;
    final Map<String, Long> versions = new HashMap<>();
    final Random random;
    long seq;

    Device(Api.Login login, String deviceId, List<String> jobIds, long randomSeed) {
      this.login = login;
      this.deviceId = deviceId;
      this.jobIds = jobIds;
      this.random = new Random(randomSeed);
    }
  }

  private final Api api;
  private final Api.Login admin;
  private final Args args;
  private final int devices;
  private final int jobsPerDevice;
  private final int batchSize;
  private final int warmupBatches;
  private final int batches;

  IngestBench(Args args) {
    this.args = args;
    this.api = new Api(args.get("api", "http://localhost:8287/api/v1"));
    this.admin = Api.Login.of("admin", args.require("admin-password"));
    this.devices = args.getInt("devices", 50);
    this.jobsPerDevice = args.getInt("jobs-per-device", 4);
    this.batchSize = args.getInt("batch", 100);
    this.warmupBatches = args.getInt("warmup-batches", 2);
    this.batches = args.getInt("batches", 10);
  }

  void run() throws Exception {
    api.awaitHealthy(java.time.Duration.ofMinutes(2));
    long t0 = System.nanoTime();
    List<Device> fleet = setUp();
    System.out.printf(
        Locale.ROOT,
        "set-up: %d technicians with %d dispatched jobs each, over the API, in %.1f s%n",
        fleet.size(),
        jobsPerDevice,
        (System.nanoTime() - t0) / 1e9);

    long serverPid = args.getLong("server-pid", -1);
    Path jfr = args.get("jfr", "").isEmpty() ? null : Path.of(args.get("jfr", "")).toAbsolutePath();
    if (jfr != null) {
      // started before the warm-up, which absorbs its start-up cost; only the measured phase's
      // samples are summarized
      Profile.start(serverPid, jfr);
    }
    // warm-up (JIT, caches, connections, credential cache); its first batch moves every job to
    // ON_SITE
    List<List<byte[]>> warm = new ArrayList<>();
    for (Device d : fleet) {
      List<byte[]> bodies = new ArrayList<>();
      for (int b = 0; b < warmupBatches; b++) {
        bodies.add(batch(d, b == 0));
      }
      warm.add(bodies);
    }
    Phase warmup = upload(fleet, warm);
    System.out.printf(
        Locale.ROOT,
        "warm-up: %d events in %.1f s (%.0f events/s); outcomes %s%n",
        warmup.events,
        warmup.seconds(),
        warmup.events / warmup.seconds(),
        warmup.outcomes);

    List<List<byte[]>> measured = new ArrayList<>();
    for (Device d : fleet) {
      List<byte[]> bodies = new ArrayList<>();
      for (int b = 0; b < batches; b++) {
        bodies.add(batch(d, false));
      }
      measured.add(bodies);
    }
    Machine machine = new Machine(serverPid);
    Machine.Sample before = machine.sample();
    Phase run = upload(fleet, measured);
    Machine.Sample after = machine.sample();
    if (jfr != null) {
      Profile.stop(serverPid);
    }
    Stats latency = new Stats(run.latencies);
    double rate = run.events / run.seconds();
    long applied = run.outcomes.getOrDefault("APPLIED", 0L);
    System.out.println();
    System.out.println("== Part 1: ingest over HTTP (POST /api/v1/me/events)");
    System.out.printf(
        Locale.ROOT,
        "devices %d (one technician each, %d jobs each), batches of %d events, %d batches per"
            + " device after %d warm-up batches%n",
        devices,
        jobsPerDevice,
        batchSize,
        batches,
        warmupBatches);
    System.out.printf(
        Locale.ROOT,
        "events %d in %.2f s: %.0f events/s (applied %d: %.0f applied/s), %.1f batches/s%n",
        run.events,
        run.seconds(),
        rate,
        applied,
        applied / run.seconds(),
        run.latencies.length / run.seconds());
    System.out.println("batch latency: " + latency.summary());
    System.out.println(
        "throughput over the run (events/s by tenth of its duration): " + run.timeline());
    System.out.println("outcomes: " + run.outcomes);
    System.out.println("mix: " + run.types);
    System.out.println(machine.report(before, after));
    double cpuPerEvent = Machine.serverCpuSeconds(before, after) * 1000 / run.events;
    System.out.printf(
        Locale.ROOT,
        "server CPU per event: %.2f ms (so at most %.0f events/s if the server had all %d cores)%n",
        cpuPerEvent,
        Runtime.getRuntime().availableProcessors() * 1000 / cpuPerEvent,
        Runtime.getRuntime().availableProcessors());

    ObjectNode out = Api.JSON.createObjectNode();
    out.put("measuredStart", run.start.toString());
    out.put("measuredEnd", run.end.toString());
    out.put("devices", devices);
    out.put("jobsPerDevice", jobsPerDevice);
    out.put("batchSize", batchSize);
    out.put("batchesPerDevice", batches);
    out.put("warmupBatches", warmupBatches);
    out.put("events", run.events);
    out.put("applied", applied);
    out.put("seconds", run.seconds());
    out.put("eventsPerSecond", rate);
    out.put("serverCpuMillisPerEvent", cpuPerEvent);
    out.put("p50Millis", latency.percentileMillis(50));
    out.put("p99Millis", latency.percentileMillis(99));
    out.putPOJO("outcomes", run.outcomes);
    Path file = Path.of(args.get("out", "target/results/ingest.json"));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
    System.out.println("results written to " + file);
    if (jfr != null) {
      System.out.println();
      Profile.summarize(jfr, 25, run.start, run.end);
    }
    if (applied != run.events) {
      System.out.println("WARNING: not every event was APPLIED; see the outcomes above");
    }
  }

  /** The figures of one upload phase. */
  static final class Phase {
    long events;
    long[] latencies;
    long[] finished;
    long startNanos;
    Instant start;
    Instant end;
    long nanos;
    final Map<String, Long> outcomes = new TreeMap<>();
    final Map<String, Long> types = new TreeMap<>();

    double seconds() {
      return nanos / 1e9;
    }

    /** Events completed per second in each tenth of the phase (batches counted when answered). */
    String timeline() {
      long[] per = new long[10];
      long perBatch = latencies.length == 0 ? 0 : events / latencies.length;
      for (long f : finished) {
        int tenth = (int) Math.min(9, (f - startNanos) * 10 / Math.max(1, nanos));
        per[tenth] += perBatch;
      }
      StringBuilder b = new StringBuilder();
      for (long p : per) {
        b.append(b.length() == 0 ? "" : " ").append(Math.round(p / (seconds() / 10)));
      }
      return b.toString();
    }
  }

  /** All devices upload their bodies at once, each device one batch after the other. */
  private Phase upload(List<Device> fleet, List<List<byte[]>> bodies) throws Exception {
    Phase phase = new Phase();
    int total = bodies.stream().mapToInt(List::size).sum();
    long[] latencies = new long[total];
    long[] finished = new long[total];
    AtomicLong slot = new AtomicLong();
    Map<String, Long> outcomes = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(fleet.size());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < fleet.size(); i++) {
        Device d = fleet.get(i);
        List<byte[]> mine = bodies.get(i);
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (byte[] body : mine) {
                    long t = System.nanoTime();
                    Api.Reply r = api.post("/me/events", d.login, body).expect(200);
                    int at = (int) slot.getAndIncrement();
                    finished[at] = System.nanoTime();
                    latencies[at] = finished[at] - t;
                    for (JsonNode result : r.json().get("results")) {
                      String o = result.get("outcome").asText();
                      if (!"APPLIED".equals(o)) {
                        o = o + "/" + result.path("reason").asText();
                      }
                      outcomes.merge(o, 1L, Long::sum);
                    }
                  }
                  return null;
                }));
      }
      phase.start = Instant.now();
      long t0 = System.nanoTime();
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      phase.nanos = System.nanoTime() - t0;
      phase.startNanos = t0;
      phase.end = Instant.now();
    } finally {
      pool.shutdownNow();
    }
    phase.latencies = latencies;
    phase.finished = finished;
    phase.outcomes.putAll(outcomes);
    phase.events = outcomes.values().stream().mapToLong(Long::longValue).sum();
    for (byte[] body : bodies.stream().flatMap(List::stream).toList()) {
      for (JsonNode e : Api.JSON.readTree(body).get("events")) {
        phase.types.merge(e.get("type").asText(), 1L, Long::sum);
      }
    }
    return phase;
  }

  /**
   * One batch of a device: with {@code moves}, first EN_ROUTE and ON_SITE for each of its jobs;
   * then a realistic mix of facts (about 35 % notes, 25 % labor, 25 % parts, 15 % checklist
   * answers) on its jobs.
   */
  private byte[] batch(Device d, boolean moves) throws IOException {
    ObjectNode body = Api.JSON.createObjectNode();
    body.put("deviceId", d.deviceId);
    ArrayNode events = body.putArray("events");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    if (moves) {
      for (String to : List.of("EN_ROUTE", "ON_SITE")) {
        for (String job : d.jobIds) {
          event(events, d, job, "status", now).putObject("data").put("to", to);
        }
      }
    }
    while (events.size() < batchSize) {
      String job = d.jobIds.get(d.random.nextInt(d.jobIds.size()));
      int roll = d.random.nextInt(100);
      if (roll < 35) {
        event(events, d, job, "note", now)
            .putObject("data")
            .put(
                "text",
                "Checked unit, filter replaced, drain pan cleaned; customer informed. #"
                    + d.random.nextInt(100_000));
      } else if (roll < 60) {
        Instant start = now.minus(1 + d.random.nextInt(8), ChronoUnit.HOURS);
        ObjectNode data = event(events, d, job, "labor", now).putObject("data");
        data.put("startedAt", start.toString());
        data.put("endedAt", start.plus(15 + d.random.nextInt(90), ChronoUnit.MINUTES).toString());
        data.put("rateCode", RATES[d.random.nextInt(10) < 8 ? 0 : 1]);
      } else if (roll < 85) {
        ObjectNode data = event(events, d, job, "part", now).putObject("data");
        data.put("sku", SKUS[d.random.nextInt(SKUS.length)]);
        data.put("quantity", 1 + d.random.nextInt(3));
      } else {
        ObjectNode data = event(events, d, job, "checklist", now).putObject("data");
        data.put("templateId", "site-safety");
        if (d.random.nextBoolean()) {
          data.put("itemId", "ppe");
          data.put("answer", true);
        } else {
          data.put("itemId", "hazards");
          data.put("answer", "Wet floor near the plant room door");
        }
      }
    }
    return Api.JSON.writeValueAsBytes(body);
  }

  private static ObjectNode event(
      ArrayNode events, Device d, String job, String type, Instant now) {
    ObjectNode e = events.addObject();
    e.put("opId", UUID.randomUUID().toString());
    e.put("seq", ++d.seq);
    e.put("jobId", job);
    e.put("type", type);
    e.put("occurredAt", now.toString());
    // every event of the bench applies and bumps the job's version by one
    long version = d.versions.merge(job, 1L, Long::sum);
    e.put("baseVersion", version - 1);
    return e;
  }

  /** Price book, customer, technicians with their sites, equipment and jobs, over the API. */
  private List<Device> setUp() throws Exception {
    for (String code : RATES) {
      api.post(
              "/pricebook/labor-rates",
              admin,
              Map.of(
                  "code",
                  code,
                  "name",
                  code.equals("STD") ? "Standard hour" : "Overtime hour",
                  "hourlyRate",
                  code.equals("STD") ? "95.00" : "142.50",
                  "currency",
                  "USD",
                  "active",
                  true))
          .expect(201, 409);
    }
    String[] prices = {"24.90", "31.00", "12.75"};
    for (int i = 0; i < SKUS.length; i++) {
      api.post(
              "/pricebook/parts",
              admin,
              Map.of(
                  "sku",
                  SKUS[i],
                  "name",
                  "Part " + SKUS[i],
                  "unitPrice",
                  prices[i],
                  "currency",
                  "USD",
                  "active",
                  true))
          .expect(201, 409);
    }
    String customer =
        id(
            api.post(
                "/customers",
                admin,
                Map.of("name", "Bench Facilities Inc", "currency", "USD", "taxRate", "0.07")));
    String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    Instant day = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Device>> made = new ArrayList<>();
      for (int i = 0; i < devices; i++) {
        int n = i;
        made.add(pool.submit(() -> technician(n, run, customer, day)));
      }
      List<Device> fleet = new ArrayList<>();
      for (Future<Device> f : made) {
        fleet.add(f.get());
      }
      return fleet;
    } finally {
      pool.shutdownNow();
    }
  }

  private Device technician(int n, String run, String customer, Instant day) {
    String username = String.format(Locale.ROOT, "bench-%s-t%03d", run, n);
    String password = "bench-password-" + n;
    api.post(
            "/users",
            admin,
            Map.of("username", username, "password", password, "roles", List.of("technician")))
        .expect(201);
    String tech =
        id(
            api.post(
                "/technicians",
                admin,
                Map.of(
                    "name",
                    "Bench Technician " + n,
                    "username",
                    username,
                    "skills",
                    List.of("hvac"),
                    "active",
                    true)));
    String site =
        id(
            api.post(
                "/sites",
                admin,
                Map.of("customerId", customer, "address", n + " Benchmark Avenue, Springfield")));
    String equipment =
        id(
            api.post(
                "/equipment",
                admin,
                Map.of(
                    "siteId", site, "type", "hvac.rooftop", "make", "Carrier", "model", "48TC")));
    List<String> jobs = new ArrayList<>();
    for (int j = 0; j < jobsPerDevice; j++) {
      Map<String, Object> job = new HashMap<>();
      job.put("customerId", customer);
      job.put("siteId", site);
      job.put("equipmentIds", List.of(equipment));
      job.put("title", "Rooftop unit maintenance " + (j + 1));
      job.put("type", "hvac.maintenance");
      job.put("priority", "NORMAL");
      job.put("windowStart", day.plus(7, ChronoUnit.HOURS).toString());
      job.put("windowEnd", day.plus(19, ChronoUnit.HOURS).toString());
      job.put("estimatedMinutes", 90);
      String jobId = id(api.post("/jobs", admin, job));
      Instant start = day.plus(7 + 2L * j, ChronoUnit.HOURS);
      api.put(
              "/jobs/" + jobId + "/assignment",
              admin,
              Map.of(
                  "technicianIds",
                  List.of(tech),
                  "start",
                  start.toString(),
                  "end",
                  start.plus(90, ChronoUnit.MINUTES).toString()))
          .expect(200);
      jobs.add(jobId);
    }
    Device d = new Device(Api.Login.of(username, password), username + "-pixel", jobs, 1_000L + n);
    for (String j : jobs) {
      d.versions.put(j, 2L); // created, assigned
    }
    return d;
  }

  private static String id(Api.Reply reply) {
    return reply.expect(201).json().get("id").asText();
  }
}
