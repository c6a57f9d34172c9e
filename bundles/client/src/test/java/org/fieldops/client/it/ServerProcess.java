package org.fieldops.client.it;

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
 * The FieldOps server of this build for the client's integration tests: the distribution tar.gz
 * unpacked under {@code target/client-it-*} and run as {@code bin/karaf server} on a free port (the
 * way {@code itests}' DistributionProcess does it), so a test can stop it and start it again on the
 * same data. Every server JVM is SIGKILLed by {@link #kill} or, at the latest, by a shutdown hook.
 */
final class ServerProcess {
  static final String ADMIN_PASSWORD = "client-it-admin";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static ServerProcess shared;

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(ServerProcess::sigkill), "fieldops-client-it-reaper"));
  }

  private final Path home;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private Process process;

  private ServerProcess(Path home, int port) {
    this.home = home;
    this.port = port;
  }

  /** The installation of this test JVM, started if it is not serving. */
  static synchronized ServerProcess shared() throws IOException, InterruptedException {
    if (shared == null) {
      shared = unpack();
    }
    if (!shared.serving()) {
      shared.kill();
      shared.start();
    }
    return shared;
  }

  static synchronized void stopShared() throws InterruptedException {
    if (shared != null) {
      shared.kill();
    }
  }

  private static ServerProcess unpack() throws IOException, InterruptedException {
    String property = System.getProperty("fieldops.distribution");
    if (property == null) {
      throw new IllegalStateException("set -Dfieldops.distribution (failsafe in the pom does)");
    }
    Path tarball = Paths.get(property);
    if (!Files.isRegularFile(tarball)) {
      throw new IllegalStateException("no distribution at " + tarball + ": build it first");
    }
    Path target = Paths.get("target").toAbsolutePath();
    Files.createDirectories(target);
    try (Stream<Path> old = Files.list(target)) {
      old.filter(p -> p.getFileName().toString().startsWith("client-it-"))
          .forEach(ServerProcess::deleteTree);
    }
    Path home = Files.createTempDirectory(target, "client-it-");
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
    return new ServerProcess(home, port);
  }

  String server() {
    return "http://localhost:" + port;
  }

  String api() {
    return server() + "/api/v1";
  }

  /** Starts {@code bin/karaf server} and waits until the API answers an authenticated call. */
  synchronized void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running");
    }
    ProcessBuilder pb =
        new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("KARAF_") || k.equals("JAVA_OPTS"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("JAVA_MAX_MEM", "768M");
    env.put("FIELDOPS_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("KARAF_EXEC", "exec");
    long t0 = System.nanoTime();
    process = pb.start();
    LIVE.add(process);
    awaitServing();
    System.out.printf(
        "FieldOps server (pid %d, port %d) ready after %d ms%n",
        process.pid(), port, (System.nanoTime() - t0) / 1_000_000);
  }

  /** SIGKILLs the server JVM and waits until it is gone (its data stays). */
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

  private static void sigkill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private boolean serving() {
    if (process == null || !process.isAlive()) {
      return false;
    }
    try {
      return call("GET", "/health", null, null, null).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private void awaitServing() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited with " + process.exitValue());
      }
      try {
        Reply health = call("GET", "/health", null, null, null);
        if (health.status() == 200 && admin("GET", "/customers?limit=1", null).status() == 200) {
          return;
        }
        last = health.status() + " " + health.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(200); // polling interval
    }
    throw new IllegalStateException("FieldOps not ready after " + START_TIMEOUT + ": " + last);
  }

  /** A response: status and body. */
  record Reply(int status, String body) {
    JsonNode expect(int expected) {
      if (status != expected) {
        throw new AssertionError("expected " + expected + " but got " + status + ": " + body);
      }
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  Reply call(String method, String path, String user, String password, String json)
      throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api() + path))
            .timeout(Duration.ofSeconds(60))
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
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  Reply admin(String method, String path, String json) throws IOException {
    return call(method, path, "admin", ADMIN_PASSWORD, json);
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
      // best effort
    }
  }
}
