package org.fieldops.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The FieldOps distribution (the tar.gz of this build) unpacked under {@code target/crash-*} and
 * run as a real server process ({@code bin/karaf server}) on a free HTTP port, outside Pax Exam, so
 * that a test can SIGKILL it and start it again on the same data directory.
 *
 * <p>One installation is shared by the fault tests of a test JVM ({@link #shared()}); each test
 * creates its own technician, devices and jobs. Every JVM started here is SIGKILLed by {@link
 * #kill()} or, at the latest, by a shutdown hook of the test JVM, so no server outlives the build,
 * whatever the tests did.
 */
final class DistributionProcess {
  static final String ADMIN_PASSWORD = "crash-admin-password";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static DistributionProcess shared;

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(DistributionProcess::sigkill), "fieldops-server-reaper"));
  }

  private final Path home;
  private final int port;
  private final HttpClient http;
  private Process process;
  private int starts;

  private DistributionProcess(Path home, int port) {
    this.home = home;
    this.port = port;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** The installation shared by the fault tests, started (again) if it is not serving. */
  static synchronized DistributionProcess shared() throws IOException, InterruptedException {
    if (shared == null) {
      shared = unpack();
    }
    if (!shared.serving()) {
      shared.kill();
      shared.start();
    }
    return shared;
  }

  /** SIGKILLs the shared installation's server, if one runs (its files stay for the next start). */
  static synchronized void stopShared() throws InterruptedException {
    if (shared != null) {
      shared.kill();
    }
  }

  /** Unpacks a fresh installation (older {@code target/crash-*} folders are removed first). */
  static DistributionProcess unpack() throws IOException, InterruptedException {
    String property = System.getProperty("fieldops.distribution");
    if (property == null) {
      throw new IllegalStateException(
          "set -Dfieldops.distribution (failsafe in itests/pom.xml does)");
    }
    Path tarball = Paths.get(property);
    if (!Files.isRegularFile(tarball)) {
      throw new IllegalStateException("no distribution at " + tarball + ": build it first");
    }
    Path target = Paths.get("target").toAbsolutePath();
    Files.createDirectories(target);
    try (Stream<Path> old = Files.list(target)) {
      old.filter(p -> p.getFileName().toString().startsWith("crash-"))
          .forEach(DistributionProcess::deleteTree);
    }
    Path home = Files.createTempDirectory(target, "crash-");
    Process tar =
        new ProcessBuilder(
                "tar", "-xzf", tarball.toString(), "-C", home.toString(), "--strip-components=1")
            .inheritIO()
            .start();
    if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
      tar.destroyForcibly();
      throw new IllegalStateException("could not unpack " + tarball);
    }
    int port = freePort();
    Path cfg = home.resolve("etc/org.ops4j.pax.web.cfg");
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(cfg)) {
      if (!line.startsWith("org.osgi.service.http.port")) {
        lines.add(line);
      }
    }
    lines.add("org.osgi.service.http.port = " + port);
    Files.write(cfg, lines);
    return new DistributionProcess(home, port);
  }

  Path home() {
    return home;
  }

  int port() {
    return port;
  }

  String api() {
    return "http://localhost:" + port + "/api/v1";
  }

  /** Starts {@code bin/karaf server} and waits until the API answers an authenticated call. */
  synchronized void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running: pid " + process.pid());
    }
    starts++;
    ProcessBuilder pb =
        new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("KARAF_") || k.equals("JAVA_OPTS"));
    env.put("JAVA_HOME", System.getProperty("java.home")); // the build's Java 17
    env.put("JAVA_MAX_MEM", "768M");
    env.put("FIELDOPS_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("KARAF_EXEC", "exec"); // bin/karaf execs the JVM: the process is the JVM itself
    long t0 = System.nanoTime();
    process = pb.start();
    LIVE.add(process);
    awaitServing();
    System.out.printf(
        "FieldOps server start #%d (pid %d, port %d) ready after %d ms%n",
        starts, process.pid(), port, (System.nanoTime() - t0) / 1_000_000);
  }

  /** SIGKILLs the server JVM (and anything it started) and waits until it is gone. */
  synchronized void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    sigkill(process);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the server JVM " + process.pid() + " survived SIGKILL");
    }
    LIVE.remove(process);
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  private static void sigkill(Process p) {
    // on Linux destroyForcibly() is SIGKILL: no shutdown hook, no clean Derby shutdown
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private boolean serving() {
    if (!alive()) {
      return false;
    }
    try {
      return send("GET", "/health", null, null, null, Duration.ofSeconds(5)).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private void awaitServing() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the server exited with " + process.exitValue() + "; " + logTail());
      }
      try {
        Reply health = send("GET", "/health", null, null, null, Duration.ofSeconds(5));
        if (health.status() == 200 && admin("GET", "/customers?limit=1", null).status() == 200) {
          return;
        }
        last = health.status() + " " + health.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(200); // polling interval
    }
    throw new IllegalStateException(
        "FieldOps not ready after " + START_TIMEOUT + ": " + last + "; " + logTail());
  }

  private String logTail() {
    StringBuilder s = new StringBuilder();
    for (Path log : List.of(home.resolve("console.log"), home.resolve("data/log/karaf.log"))) {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        s.append("\n--- ").append(log).append(" (last lines) ---\n");
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> s.append(l).append('\n'));
      } catch (IOException | UncheckedIOException e) {
        s.append("\n(no ").append(log).append(')');
      }
    }
    return s.toString();
  }

  /** A response: status and body. */
  record Reply(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    /** Asserts the status and returns the JSON body. */
    JsonNode expect(int expected) {
      if (status != expected) {
        throw new AssertionError("expected " + expected + " but got " + status + ": " + body);
      }
      return json();
    }
  }

  /** One HTTP call with a JSON body (or none); network failures are thrown, not retried. */
  Reply send(
      String method, String path, String user, String password, String json, Duration timeout)
      throws IOException {
    return send(http, api() + path, method, user, password, json, timeout);
  }

  /** The same through another client and base address (e.g. a proxy in front of the server). */
  static Reply send(
      HttpClient client,
      String url,
      String method,
      String user,
      String password,
      String json,
      Duration timeout)
      throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** A call as admin (set-up and checks). */
  Reply admin(String method, String path, String json) throws IOException {
    return send(method, path, "admin", ADMIN_PASSWORD, json, Duration.ofSeconds(60));
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: an old folder left behind is harmless
    }
  }
}
