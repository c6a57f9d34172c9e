import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Board freshness: the time from an upload's response (POST /me/events answered APPLIED) to the
 * job's event on the board's change stream (GET /board/changes), measured on every one of the open
 * streams, while many devices upload at once. JDK only: run it with {@code java
 * BoardFreshness.java} against a running server (see run.sh next to it).
 *
 * <p>Set-up through the API as admin: a dispatcher, a customer and site, one technician (with a
 * login) and one job assigned today per device. Then {@code streams} dispatchers' streams open and
 * {@code devices} threads each upload a note to their job every {@code intervalMillis} for {@code
 * seconds}. Figures: p50, p90, p99 and max over all (upload, stream) pairs, uploads per second,
 * upload latency, and events that never arrived.
 *
 * <p>Before the streams open, every device logs in once ({@code GET /me/sync-status}; {@code
 * -Dwarmup=false} skips it), so the measured phase is the steady state: a device's first login
 * costs the server one PBKDF2 password hash (0.1 to 0.2 s of CPU), and 50 of them at once hold the
 * 2-core server for seconds. Then the devices upload for {@code warmupSeconds} (default 10; JIT
 * compilation, caches) before the measured {@code seconds} begin. With {@code -DserverPid=N} the server's CPU time during the measured
 * phase is printed too (from /proc), with the load average of the machine.
 */
public class BoardFreshness {
  static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  static final Pattern JOB = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]+)\"");
  static final Pattern VERSION = Pattern.compile("\"(?:jobV|v)ersion\"\\s*:\\s*(\\d+)");
  static final String PW = "bench-password-1";

  static String api;
  static String adminAuth;
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public static void main(String[] args) throws Exception {
    api = System.getProperty("api", "http://localhost:8181/api/v1");
    String adminPassword = System.getProperty("adminPassword", System.getenv("FIELDOPS_ADMIN_PASSWORD"));
    if (adminPassword == null) {
      throw new IllegalArgumentException("-DadminPassword=... (or FIELDOPS_ADMIN_PASSWORD)");
    }
    int devices = Integer.getInteger("devices", 50);
    int streams = Integer.getInteger("streams", 20);
    int seconds = Integer.getInteger("seconds", 30);
    int interval = Integer.getInteger("intervalMillis", 500);
    adminAuth = basic("admin", adminPassword);

    String run = UUID.randomUUID().toString().substring(0, 6);
    String dispatcher = "bench-disp-" + run;
    send("POST", "/users", adminAuth, user(dispatcher, "dispatcher"), 201);
    String customer =
        id(send("POST", "/customers", adminAuth, "{\"name\":\"Bench " + run + "\",\"currency\":\"USD\"}", 201));
    String site =
        id(send("POST", "/sites", adminAuth, "{\"customerId\":\"" + customer + "\",\"address\":\"1 Bench Rd\"}", 201));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<String[]> crew = new ArrayList<>(); // {username, jobId}
    for (int i = 0; i < devices; i++) {
      String tech = "bench-" + run + "-" + i;
      send("POST", "/users", adminAuth, user(tech, "technician"), 201);
      String techId =
          id(send("POST", "/technicians", adminAuth, "{\"name\":\"Bench " + i + "\",\"username\":\"" + tech + "\"}", 201));
      String job =
          id(
              send(
                  "POST",
                  "/jobs",
                  adminAuth,
                  "{\"customerId\":\"" + customer + "\",\"siteId\":\"" + site + "\",\"title\":\"Bench job " + i
                      + "\",\"type\":\"bench.test\",\"windowStart\":\"" + today + "T00:00:00Z\",\"windowEnd\":\""
                      + today + "T23:59:00Z\"}",
                  201));
      send(
          "PUT",
          "/jobs/" + job + "/assignment",
          adminAuth,
          "{\"technicianIds\":[\"" + techId + "\"],\"start\":\"" + today + "T08:00:00Z\",\"end\":\"" + today
              + "T09:00:00Z\"}",
          200);
      crew.add(new String[] {tech, job});
    }
    if (Boolean.parseBoolean(System.getProperty("warmup", "true"))) {
      long w0 = System.nanoTime();
      List<Thread> logins = new ArrayList<>();
      for (String[] member : crew) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    send("GET", "/me/sync-status", basic(member[0], PW), null, 200);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        t.start();
        logins.add(t);
      }
      for (Thread t : logins) {
        t.join();
      }
      System.out.printf(
          "warm-up: %d first logins (one password hash each) took %.1f s%n",
          devices, (System.nanoTime() - w0) / 1e9);
    }
    System.out.printf("set up %d technicians and jobs; opening %d streams%n", devices, streams);

    // arrivals per stream: "jobId:version" -> nanoTime
    List<Map<String, Long>> arrivals = new ArrayList<>();
    List<Stream<String>> bodies = new ArrayList<>();
    String dispAuth = basic(dispatcher, PW);
    for (int s = 0; s < streams; s++) {
      Map<String, Long> seen = new ConcurrentHashMap<>();
      arrivals.add(seen);
      HttpResponse<Stream<String>> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(api + "/board/changes"))
                  .header("Authorization", dispAuth)
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("stream answered " + r.statusCode());
      }
      bodies.add(r.body());
      Thread reader =
          new Thread(
              () -> {
                try {
                  r.body()
                      .forEach(
                          line -> {
                            if (line.startsWith("data:")) {
                              long at = System.nanoTime();
                              Matcher j = JOB.matcher(line);
                              Matcher v = VERSION.matcher(line);
                              if (j.find() && v.find()) {
                                seen.putIfAbsent(j.group(1) + ":" + v.group(1), at);
                              }
                            }
                          });
                } catch (RuntimeException closed) {
                  // closed at the end
                }
              },
              "stream-" + s);
      reader.setDaemon(true);
      reader.start();
    }
    Thread.sleep(500);

    // uploads: key -> response time
    Map<String, Long> answered = new ConcurrentHashMap<>();
    List<Long> uploadMillis = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(devices);
    String serverPid = System.getProperty("serverPid");
    int warmupSeconds = Integer.getInteger("warmupSeconds", 10);
    long measureFrom = System.nanoTime() + Duration.ofSeconds(warmupSeconds).toNanos();
    long end = measureFrom + Duration.ofSeconds(seconds).toNanos();
    String[] load0 = {loadAverage()};
    long[] cpu0 = {cpuTicks(serverPid)};
    Thread meter =
        new Thread(
            () -> {
              try {
                Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
              } catch (InterruptedException e) {
                return;
              }
              load0[0] = loadAverage();
              cpu0[0] = cpuTicks(serverPid);
            });
    meter.start();
    if (warmupSeconds > 0) {
      System.out.printf(
          "uploading for %d s of warm-up (not measured: JIT, caches), then %d s measured%n",
          warmupSeconds, seconds);
    }
    for (int i = 0; i < devices; i++) {
      String[] member = crew.get(i);
      String auth = basic(member[0], PW);
      String device = "bench-phone-" + run + "-" + i;
      Thread t =
          new Thread(
              () -> {
                try {
                  long seq = 0;
                  long next = System.nanoTime() + (long) (Math.random() * interval) * 1_000_000L;
                  while (System.nanoTime() < end) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    next += interval * 1_000_000L;
                    seq++;
                    String body =
                        "{\"deviceId\":\"" + device + "\",\"events\":[{\"opId\":\"" + UUID.randomUUID()
                            + "\",\"seq\":" + seq + ",\"jobId\":\"" + member[1]
                            + "\",\"type\":\"note\",\"occurredAt\":\"2026-11-25T10:00:00Z\",\"baseVersion\":1,"
                            + "\"data\":{\"text\":\"bench note " + seq + "\"}}]}";
                    long t0 = System.nanoTime();
                    HttpResponse<String> r =
                        HTTP.send(
                            HttpRequest.newBuilder(URI.create(api + "/me/events"))
                                .header("Authorization", auth)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    long t1 = System.nanoTime();
                    if (t0 < measureFrom) {
                      continue; // warm-up
                    }
                    Matcher v = VERSION.matcher(r.body());
                    if (r.statusCode() != 200 || !r.body().contains("APPLIED") || !v.find()) {
                      failures.incrementAndGet();
                      continue;
                    }
                    uploadMillis.add((t1 - t0) / 1_000_000);
                    answered.put(member[1] + ":" + v.group(1), t1);
                  }
                } catch (Exception e) {
                  failures.incrementAndGet();
                  System.err.println("device stopped: " + e);
                } finally {
                  done.countDown();
                }
              },
              "device-" + i);
      t.start();
    }
    done.await();
    meter.join();
    long cpu1 = cpuTicks(serverPid);
    String load1 = loadAverage();
    Thread.sleep(2000); // stragglers
    bodies.forEach(Stream::close);

    List<Long> fresh = new ArrayList<>();
    int missing = 0;
    for (Map.Entry<String, Long> a : answered.entrySet()) {
      for (Map<String, Long> seen : arrivals) {
        Long at = seen.get(a.getKey());
        if (at == null) {
          missing++;
        } else {
          fresh.add(Math.max(0, at - a.getValue()));
        }
      }
    }
    Collections.sort(fresh);
    Collections.sort(uploadMillis);
    System.out.printf(
        "devices %d, streams %d, %d s: %d uploads applied (%.1f/s), %d failed%n",
        devices, streams, seconds, answered.size(), answered.size() / (double) seconds, failures.get());
    System.out.printf(
        "upload latency ms: p50 %d, p99 %d%n", pct(uploadMillis, 50), pct(uploadMillis, 99));
    if (cpu0[0] >= 0 && cpu1 >= 0) {
      double cpuSeconds = (cpu1 - cpu0[0]) / 100.0; // USER_HZ
      System.out.printf(
          "server CPU during the uploads: %.1f s (%.0f %% of one core; %.2f ms per applied upload)%n",
          cpuSeconds,
          100 * cpuSeconds / seconds,
          answered.isEmpty() ? 0 : 1000 * cpuSeconds / answered.size());
    }
    System.out.printf("load average before / after the uploads: %s / %s%n", load0[0], load1);
    System.out.printf(
        "freshness (upload response -> event on a stream) ms over %d (upload, stream) pairs: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f; never arrived: %d%n",
        fresh.size(),
        pct(fresh, 50) / 1e6,
        pct(fresh, 90) / 1e6,
        pct(fresh, 99) / 1e6,
        fresh.isEmpty() ? 0 : fresh.get(fresh.size() - 1) / 1e6,
        missing);
  }

  /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux); -1 if unknown. */
  static long cpuTicks(String pid) {
    if (pid == null || pid.isBlank()) {
      return -1;
    }
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (Exception e) {
      return -1;
    }
  }

  static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }

  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String user(String name, String role) {
    return "{\"username\":\"" + name + "\",\"password\":\"" + PW + "\",\"roles\":[\"" + role + "\"]}";
  }

  static String id(String body) {
    Matcher m = ID.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no id in " + body);
    }
    return m.group(1);
  }

  static String send(String method, String path, String auth, String json, int expected) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
