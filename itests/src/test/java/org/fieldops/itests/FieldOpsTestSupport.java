package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Boots the FieldOps distribution (the tar.gz this build produced) in Pax Exam on free ports, with
 * a known admin password, and offers small HTTP helpers for calling the REST API from inside the
 * container.
 */
public abstract class FieldOpsTestSupport {
  protected static final String ADMIN_PASSWORD = "itest-admin-password";
  protected static final ObjectMapper JSON = new ObjectMapper();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  protected Option[] distribution() {
    String karafVersion = System.getProperty("karaf.version", "4.4.10");
    String tarball = System.getProperty("fieldops.distribution");
    String repo =
        System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
    int httpPort = freePort();
    return new Option[] {
      karafDistributionConfiguration()
          .frameworkUrl(new File(tarball).toURI().toString())
          .karafVersion(karafVersion)
          .name("FieldOps")
          .unpackDirectory(new File("target/exam"))
          .useDeployFolder(false),
      // -Dfieldops.itest.keep=true keeps target/exam/<run> (its data/log/karaf.log) for diagnosis
      org.ops4j.pax.exam.CoreOptions.when(Boolean.getBoolean("fieldops.itest.keep"))
          .useOptions(org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder()),
      configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
      logLevel(LogLevel.INFO),
      editConfigurationFilePut(
          "etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(httpPort)),
      editConfigurationFilePut(
          "etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo),
      editConfigurationFilePut(
          "etc/system.properties", "fieldops.itest.http.port", String.valueOf(httpPort)),
      systemProperty("fieldops.admin.password").value(ADMIN_PASSWORD),
      // the module flags bin/karaf passes on Java 9+
      vmOptions(
          "--add-reads=java.xml=java.logging",
          "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
          "--patch-module",
          "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
          "--patch-module",
          "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
          "--add-opens",
          "java.base/java.security=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.net=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.util=ALL-UNNAMED",
          "--add-opens",
          "java.naming/javax.naming.spi=ALL-UNNAMED",
          "--add-opens",
          "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "-classpath",
          "lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*",
          "-Duser.timezone=UTC",
          "-Xmx768m"),
    };
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  protected static String api() {
    return "http://localhost:" + System.getProperty("fieldops.itest.http.port") + "/api/v1";
  }

  /** A response: status, headers and the body as text and JSON. */
  protected record Reply(int status, HttpResponse<String> raw) {
    String body() {
      return raw.body();
    }

    JsonNode json() {
      try {
        return JSON.readTree(raw.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + raw.body(), e);
      }
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    /** Asserts the status, and that an error is problem+json without a stack trace. */
    Reply expect(int expected) {
      assertEquals(
          "status of " + raw.request().method() + " " + raw.request().uri() + ": " + body(),
          expected,
          status);
      if (status >= 400) {
        assertEquals("application/problem+json", header("Content-Type"));
        assertEquals(status, json().get("status").asInt());
        assertFalse(
            "stack trace in body: " + body(),
            body().contains("Exception") || body().contains("\tat "));
      }
      return this;
    }

    /** Asserts a 400 whose errors name {@code field}. */
    Reply expectFieldError(String field) {
      expect(400);
      boolean named = false;
      for (JsonNode e : json().path("errors")) {
        named |= field.equals(e.path("field").asText());
      }
      assertTrue("no error on " + field + ": " + body(), named);
      return this;
    }
  }

  protected static Reply call(
      String method,
      String path,
      String user,
      String password,
      String contentType,
      String body,
      String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : api() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      String token =
          Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      b.header("Authorization", "Basic " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  protected static Reply get(String path, String user, String password) {
    return call("GET", path, user, password, null, null);
  }

  protected static Reply post(String path, String user, String password, String json) {
    return call("POST", path, user, password, "application/json", json);
  }

  protected static Reply patch(
      String path, String user, String password, String ifMatch, String json) {
    return ifMatch == null
        ? call("PATCH", path, user, password, "application/merge-patch+json", json)
        : call(
            "PATCH",
            path,
            user,
            password,
            "application/merge-patch+json",
            json,
            "If-Match",
            ifMatch);
  }

  /**
   * Waits until {@code /health} is UP and an authenticated call works (the API starts shortly after
   * boot).
   */
  protected static void awaitApi() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        Reply health = get("/health", null, null);
        if (health.status() == 200
            && get("/customers?limit=1", "admin", ADMIN_PASSWORD).status() == 200) {
          return;
        }
        last = health.status() + " " + health.body();
      } catch (AssertionError notYet) {
        last = notYet.getMessage();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("FieldOps API not ready: " + last + containerState());
  }

  /**
   * What a failed start looks like from inside the container, for the failure message (CI keeps no
   * container folder): the bundles that are not active and the last errors of karaf.log.
   */
  private static String containerState() {
    StringBuilder out = new StringBuilder();
    Bundle probe = FrameworkUtil.getBundle(FieldOpsTestSupport.class);
    if (probe != null && probe.getBundleContext() != null) {
      for (Bundle b : probe.getBundleContext().getBundles()) {
        boolean fragment = b.getHeaders().get("Fragment-Host") != null;
        if (b.getState() != Bundle.ACTIVE && !fragment) {
          out.append("\n  not active: ")
              .append(b.getSymbolicName())
              .append(' ')
              .append(b.getVersion())
              .append(" state ")
              .append(b.getState());
        }
      }
    }
    Path log = Path.of(System.getProperty("karaf.data", "data"), "log", "karaf.log");
    try {
      List<String> lines = Files.readAllLines(log);
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("| ERROR") || lines.get(i).contains("| WARN ")) {
          errors.add(lines.get(i));
          for (int j = i + 1; j < Math.min(lines.size(), i + 25); j++) {
            if (lines.get(j).startsWith("20")) {
              break;
            }
            errors.add(lines.get(j));
          }
        }
      }
      int from = Math.max(0, errors.size() - 120);
      out.append("\n  karaf.log warnings and errors (last ")
          .append(errors.size() - from)
          .append(" lines):");
      for (String line : errors.subList(from, errors.size())) {
        out.append("\n    ").append(line);
      }
    } catch (IOException | RuntimeException e) {
      out.append("\n  karaf.log not readable: ").append(e);
    }
    return out.toString();
  }

  protected static final String PW = "itest-password-1";

  /** Creates a fresh account with one role, as admin; returns its username. */
  protected static String user(String role) {
    String name =
        role.substring(0, 3) + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    post(
            "/users",
            "admin",
            ADMIN_PASSWORD,
            "{\"username\":\""
                + name
                + "\",\"password\":\""
                + PW
                + "\",\"roles\":[\""
                + role
                + "\"]}")
        .expect(201);
    return name;
  }

  static String quoted(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The id of what a POST created, asserting the 201. */
  static String id(Reply created) {
    return created.expect(201).json().path("id").asText();
  }

  /** A JSON object from name/value pairs (values are strings or null). */
  static String obj(String... pairs) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      o.put(pairs[i], pairs[i + 1]);
    }
    return o.toString();
  }

  /**
   * One event of a technician's upload to {@code /me/events}, as JSON text; {@code data} is JSON
   * text and goes in as it is.
   */
  static String event(
      String opId,
      long seq,
      String jobId,
      String type,
      String occurredAt,
      long baseVersion,
      String data) {
    ObjectNode e =
        JSON.createObjectNode()
            .put("opId", opId)
            .put("seq", seq)
            .put("jobId", jobId)
            .put("type", type)
            .put("occurredAt", occurredAt)
            .put("baseVersion", baseVersion);
    e.putRawValue("data", new RawValue(data));
    return e.toString();
  }

  /** {@link #event(String, long, String, String, String, long, String)} with a fresh opId. */
  static String event(
      long seq, String jobId, String type, String occurredAt, long baseVersion, String data) {
    return event(UUID.randomUUID().toString(), seq, jobId, type, occurredAt, baseVersion, data);
  }

  /** The body of an upload to {@code /me/events}: the device and its {@link #event}s. */
  static String events(String deviceId, List<String> events) {
    ObjectNode body = JSON.createObjectNode().put("deviceId", deviceId);
    ArrayNode list = body.putArray("events");
    events.forEach(e -> list.addRawValue(new RawValue(e)));
    return body.toString();
  }

  static String events(String deviceId, String... events) {
    return events(deviceId, List.of(events));
  }
}
