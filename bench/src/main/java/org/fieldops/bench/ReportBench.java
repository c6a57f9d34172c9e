package org.fieldops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reports benchmark: report latency over HTTP with a year of data ({@link ReportHaystack}).
 *
 * <ul>
 *   <li>{@code Reports generate --db=DIR [--out=FILE …]}: writes the year into the server's
 *       (stopped) database;
 *   <li>{@code Reports run --api=URL --admin-password=… --haystack=FILE}: times {@code GET
 *       /reports/{name}?from=&to=&groupBy=} as admin, one request at a time, for every report, its
 *       default grouping and one other, over a day, a month and the year of the data: {@code
 *       --warmup} (2) requests first, then {@code --runs} (20) timed ones per case, fewer when a
 *       case has taken {@code --case-seconds} (240) already (at least 5, or 3 after twice that
 *       time; the count is printed).
 * </ul>
 *
 * The day is a Wednesday two weeks before the end of the data, the month the last whole calendar
 * month in it, the year its 365 days.
 */
public final class ReportBench {
  /** Report, its default grouping, and the other grouping measured. */
  static final String[][] REPORTS = {
    {"job-status", "day", "technician"},
    {"completions", "technician", "day"},
    {"job-times", "technician", "day"},
    {"parts", "sku", "technician"},
    {"labor", "technician", "day"},
    {"revenue", "day", "customer"},
    {"drafts", "customer", "day"},
    {"sync-health", "technician", "day"},
    {"rejection-reasons", "reason", "technician"},
  };

  private final Args args;

  private ReportBench(Args args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    Locale.setDefault(Locale.ROOT);
    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
    if (argv.length == 0) {
      System.err.println("usage: ReportBench generate|run [--name=value …]");
      System.exit(2);
    }
    Args args = new Args(argv, 1);
    switch (argv[0]) {
      case "generate" -> new ReportHaystack(args).run();
      case "run" -> new ReportBench(args).run();
      case "version" -> System.out.println(ReportHaystack.VERSION);
      case "sql" -> sql(args);
      default -> {
        System.err.println("unknown command " + argv[0]);
        System.exit(2);
      }
    }
  }

  /**
   * {@code sql --db=DIR --sql="STATEMENT;STATEMENT"}: runs statements on the (stopped) database,
   * e.g. an index to try by hand, timing each.
   */
  private static void sql(Args args) throws Exception {
    Path dir = Path.of(args.require("db"));
    try (java.sql.Connection c = Db.open(dir, false);
        java.sql.Statement s = c.createStatement()) {
      for (String statement : args.require("sql").split(";")) {
        if (statement.isBlank()) {
          continue;
        }
        long t = System.nanoTime();
        s.execute(statement.strip());
        System.out.printf(
            "by hand on the bench database: %s (%.1f s)%n",
            statement.strip(), (System.nanoTime() - t) / 1e9);
      }
    } finally {
      Db.shutdown(dir);
    }
  }

  /** One measured case. */
  record Case(
      String report,
      String groupBy,
      boolean isDefault,
      String range,
      LocalDate from,
      LocalDate to,
      Stats latency,
      int rows,
      int bytes,
      double serverCpuMillis,
      double timedOutAfterSeconds) {
    ObjectNode json() {
      ObjectNode o = Api.JSON.createObjectNode();
      o.put("report", report);
      o.put("groupBy", groupBy);
      o.put("defaultGroupBy", isDefault);
      o.put("range", range);
      o.put("from", from.toString());
      o.put("to", to.toString());
      o.put("runs", latency.count());
      o.put("p50Millis", latency.percentileMillis(50));
      o.put("p95Millis", latency.percentileMillis(95));
      o.put("maxMillis", latency.maxMillis());
      o.put("meanMillis", latency.meanMillis());
      o.put("rows", rows);
      o.put("bytes", bytes);
      o.put("serverCpuMillisPerRequest", serverCpuMillis);
      o.put("timedOutAfterSeconds", timedOutAfterSeconds);
      return o;
    }
  }

  private void run() throws Exception {
    Api api = new Api(args.get("api", "http://localhost:8287/api/v1"));
    api.awaitHealthy(java.time.Duration.ofMinutes(3));
    Api.Login admin = Api.Login.of("admin", args.require("admin-password"));
    JsonNode hay = Api.JSON.readTree(Files.readAllBytes(Path.of(args.require("haystack"))));
    int warmup = args.getInt("warmup", 2);
    int runs = args.getInt("runs", 20);
    double caseSeconds = args.getInt("case-seconds", 240);
    int timeoutSeconds = args.getInt("timeout-seconds", 120);
    double goal = args.getInt("goal-millis", 500);
    long serverPid = args.getLong("server-pid", -1);
    Path casesFile = Path.of(args.get("cases", "target/results/reports-cases.jsonl"));
    List<String> only =
        args.get("reports", "").isEmpty()
            ? List.of()
            : Arrays.asList(args.get("reports", "").split(","));
    List<String> ranges = Arrays.asList(args.get("ranges", "day,month,year").split(","));
    boolean otherGrouping = !"false".equals(args.get("other-grouping", "true"));
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    LocalDate last = LocalDate.parse(hay.get("last").asText());
    LocalDate first = LocalDate.parse(hay.get("first").asText());
    LocalDate day = last.minusDays(14);
    while (day.getDayOfWeek() != DayOfWeek.WEDNESDAY) {
      day = day.minusDays(1);
    }
    LocalDate monthStart = last.plusDays(1).withDayOfMonth(1).minusMonths(1);
    Map<String, LocalDate[]> rangeDates = new LinkedHashMap<>();
    rangeDates.put("day", new LocalDate[] {day, day});
    rangeDates.put("month", new LocalDate[] {monthStart, monthStart.plusMonths(1).minusDays(1)});
    rangeDates.put("year", new LocalDate[] {first, last});
    // cases measured by an earlier attempt (the server is restarted after a request times out)
    Map<String, JsonNode> done = new LinkedHashMap<>();
    if (Files.exists(casesFile)) {
      for (String line : Files.readAllLines(casesFile)) {
        if (!line.isBlank()) {
          JsonNode n = Api.JSON.readTree(line);
          done.put(
              key(n.get("report").asText(), n.get("groupBy").asText(), n.get("range").asText()), n);
        }
      }
    } else {
      System.out.printf(
          "data: %s .. %s, %d jobs; ranges: day %s, month %s .. %s, year %s .. %s;"
              + " %d warm-up + %d timed requests per case (fewer after %.0f s in a case);"
              + " a request taking over %d s ends the case (and the server is restarted)%n",
          first,
          last,
          hay.get("jobs").asInt(),
          day,
          rangeDates.get("month")[0],
          rangeDates.get("month")[1],
          first,
          last,
          warmup,
          runs,
          caseSeconds,
          timeoutSeconds);
      header();
    }
    for (String[] r : REPORTS) {
      if (!only.isEmpty() && !only.contains(r[0])) {
        continue;
      }
      for (int g = 1; g <= (otherGrouping ? 2 : 1); g++) {
        for (String range : ranges) {
          if (done.containsKey(key(r[0], r[g], range))) {
            continue;
          }
          String timedOutBefore =
              done.values().stream()
                  .filter(
                      c ->
                          c.get("report").asText().equals(r[0])
                              && c.get("timedOutAfterSeconds").asDouble() > 0)
                  .map(c -> c.get("groupBy").asText() + " " + c.get("range").asText())
                  .findFirst()
                  .orElse(null);
          if (timedOutBefore != null) {
            // a wider range or another grouping of a report that already timed out: not run
            ObjectNode skipped = Api.JSON.createObjectNode();
            skipped.put("report", r[0]);
            skipped.put("groupBy", r[g]);
            skipped.put("defaultGroupBy", g == 1);
            skipped.put("range", range);
            skipped.put("runs", 0);
            skipped.put("timedOutAfterSeconds", 0);
            skipped.put("skipped", "not run: " + timedOutBefore + " timed out");
            done.put(key(r[0], r[g], range), skipped);
            Files.writeString(
                casesFile,
                Api.JSON.writeValueAsString(skipped) + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
            print(skipped, goal);
            continue;
          }
          LocalDate[] d = rangeDates.get(range);
          String path = "/reports/" + r[0] + "?from=" + d[0] + "&to=" + d[1] + "&groupBy=" + r[g];
          HttpRequest request =
              HttpRequest.newBuilder(URI.create(api.base() + path))
                  .timeout(Duration.ofSeconds(timeoutSeconds))
                  .header("Authorization", admin.header())
                  .GET()
                  .build();
          long[] samples = new long[runs];
          int n = 0;
          byte[] body = null;
          double timedOut = 0;
          long cpu0 = 0;
          long caseStart = 0;
          try {
            for (int i = 0; i < warmup; i++) {
              body = send(http, request);
            }
            caseStart = System.nanoTime();
            cpu0 = Machine.processTicks(serverPid);
            while (n < runs) {
              long t = System.nanoTime();
              body = send(http, request);
              samples[n++] = System.nanoTime() - t;
              double spent = (System.nanoTime() - caseStart) / 1e9;
              if (spent > caseSeconds && n >= 5 || spent > 2 * caseSeconds && n >= 3) {
                break;
              }
            }
          } catch (HttpTimeoutException e) {
            timedOut = timeoutSeconds;
          }
          long cpu1 = Machine.processTicks(serverPid);
          double cpuMillis = n == 0 || cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) * 10.0 / n;
          int rows = body == null ? -1 : Api.JSON.readTree(body).path("rows").size();
          Case c =
              new Case(
                  r[0],
                  r[g],
                  g == 1,
                  range,
                  d[0],
                  d[1],
                  new Stats(Arrays.copyOf(samples, n)),
                  rows,
                  body == null ? -1 : body.length,
                  cpuMillis,
                  timedOut);
          ObjectNode json = c.json();
          Files.createDirectories(casesFile.toAbsolutePath().getParent());
          Files.writeString(
              casesFile,
              Api.JSON.writeValueAsString(json) + "\n",
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND);
          done.put(key(r[0], r[g], range), json);
          print(json, goal);
          if (timedOut > 0) {
            System.out.println(
                "   (a request took over "
                    + timeoutSeconds
                    + " s; the server goes on computing it: restart it, then run again to go on)");
            System.exit(3);
          }
        }
      }
    }
    long missed =
        done.values().stream()
            .filter(
                c ->
                    c.has("skipped")
                        || c.get("timedOutAfterSeconds").asDouble() > 0
                        || c.get("p95Millis").asDouble() > goal)
            .count();
    System.out.println();
    header();
    done.values().forEach(c -> print(c, goal));
    System.out.printf(
        "(* the report's default grouping; rows: rows in the answer; cpu ms: the server's CPU"
            + " time per timed request)%n"
            + "goal p95 <= %.0f ms: met by %d of %d cases%n",
        goal, done.size() - missed, done.size());
    ObjectNode out = Api.JSON.createObjectNode();
    out.set("haystack", hay);
    ArrayNode arr = out.putArray("cases");
    done.values().forEach(arr::add);
    Path file = Path.of(args.get("out", "target/results/reports.json"));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
  }

  private static String key(String report, String groupBy, String range) {
    return report + "|" + groupBy + "|" + range;
  }

  private static byte[] send(HttpClient http, HttpRequest request) throws Exception {
    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          request.uri() + ": HTTP " + r.statusCode() + ": " + new String(r.body()));
    }
    return r.body();
  }

  private static void header() {
    System.out.printf(
        "%-18s %-11s %-5s %5s %9s %9s %9s %7s %9s %9s%n",
        "report", "groupBy", "range", "runs", "p50 ms", "p95 ms", "max ms", "rows", "bytes",
        "cpu ms");
  }

  private static void print(JsonNode c, double goal) {
    double timedOut = c.get("timedOutAfterSeconds").asDouble();
    String g = c.get("groupBy").asText() + (c.get("defaultGroupBy").asBoolean() ? "*" : "");
    if (c.has("skipped")) {
      System.out.printf(
          "%-18s %-11s %-5s %5s  %s%n",
          c.get("report").asText(), g, c.get("range").asText(), "0", c.get("skipped").asText());
      return;
    }
    if (timedOut > 0 && c.get("runs").asInt() == 0) {
      System.out.printf(
          "%-18s %-11s %-5s %5s %9s%n",
          c.get("report").asText(),
          g,
          c.get("range").asText(),
          "0",
          String.format("timed out: a request took over %.0f s", timedOut));
      return;
    }
    System.out.printf(
        "%-18s %-11s %-5s %5d %9.1f %9.1f %9.1f %7d %9d %9.0f%s%n",
        c.get("report").asText(),
        g,
        c.get("range").asText(),
        c.get("runs").asInt(),
        c.get("p50Millis").asDouble(),
        c.get("p95Millis").asDouble(),
        c.get("maxMillis").asDouble(),
        c.get("rows").asInt(),
        c.get("bytes").asInt(),
        c.get("serverCpuMillisPerRequest").asDouble(),
        timedOut > 0
            ? String.format("  then a request took over %.0f s", timedOut)
            : c.get("p95Millis").asDouble() > goal ? "  > goal" : "");
  }
}
