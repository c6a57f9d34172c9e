package org.fieldops.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reports page in headless Chromium (as {@link BoardPageIT}) against the real server with the
 * demo data ({@code fieldops-demo}, installed through {@code deploy/} as {@code ./run.sh} does):
 * the demo dispatcher opens {@code /reports/}, the demo day's job-status chart is drawn and the
 * table's figures are the API's for the same range, grouping and switching reports work, finance
 * reports are not offered to a dispatcher (and are to finance), an empty range says so, a range the
 * API refuses shows its reason, customer names with markup stay text, and "Download CSV" saves the
 * API's CSV. No Content-Security-Policy violation is logged. Writes screenshots to {@code
 * target/reports*.png} (one per report).
 */
public class ReportsPageIT {
  private static final String DEMO_PW = "fieldops-demo"; // the demo accounts' password
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Path DOWNLOADS = Paths.get("target", "reports-downloads").toAbsolutePath();
  private static DistributionProcess server;
  private static WebDriver browser;

  @BeforeClass
  public static void start() throws Exception {
    server = DistributionProcess.unpack();
    Files.writeString(
        server.home().resolve("deploy/fieldops-demo.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<features name=\"fieldops-demo-autoinstall\""
            + " xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
            + "  <feature name=\"fieldops-demo-autoinstall\" version=\"1.0.0\" install=\"auto\">\n"
            + "    <feature>fieldops-demo</feature>\n"
            + "  </feature>\n"
            + "</features>\n");
    server.start();
    awaitDemoDay();
    Files.createDirectories(DOWNLOADS);
    try (Stream<Path> old = Files.list(DOWNLOADS)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    ChromeOptions options = HeadlessChromium.options("1500,1100");
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", DOWNLOADS.toString());
    prefs.put("download.prompt_for_download", false);
    options.setExperimentalOption("prefs", prefs);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriver chrome = HeadlessChromium.start(options);
    chrome.executeCdpCommand(
        "Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", DOWNLOADS.toString()));
    browser = chrome;
  }

  @AfterClass
  public static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.kill();
    }
  }

  /** The demo loads its day once the features are up: wait until its jobs and moves are in. */
  private static void awaitDemoDay() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String last = "";
    int stable = 0;
    while (System.nanoTime() < deadline) {
      DistributionProcess.Reply r =
          server.send(
              "GET", "/reports/job-status", "dispatcher", DEMO_PW, null, Duration.ofSeconds(30));
      if (r.status() == 200) {
        JsonNode totals = r.json().path("totals");
        String now = totals.toString();
        if (totals.path("total").asLong() >= 12 && now.equals(last)) {
          if (++stable >= 2) {
            return;
          }
        } else {
          stable = 0;
        }
        last = now;
      }
      Thread.sleep(1000); // the demo day is written in a few seconds
    }
    throw new AssertionError("the demo day did not appear in job-status: " + last);
  }

  @Test
  public void theDispatcherReadsTheDemoDayAndDownloadsItsCsv() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC); // the demo day; business zone UTC
    // a customer whose name is markup, with a job today: its name must stay text
    String markup = "<img src=x id=injected><b>Bold & Co</b>";
    String customer =
        admin("POST", "/customers", "{\"name\":" + quoted(markup) + ",\"currency\":\"USD\"}", 201)
            .path("id")
            .asText();
    String site =
        admin(
                "POST",
                "/sites",
                "{\"customerId\":\"" + customer + "\",\"address\":\"1 Markup Lane\"}",
                201)
            .path("id")
            .asText();
    admin(
        "POST",
        "/jobs",
        "{\"customerId\":\""
            + customer
            + "\",\"siteId\":\""
            + site
            + "\",\"title\":\"Markup job\",\"type\":\"plumbing.repair\",\"windowStart\":\""
            + today
            + "T07:00:00Z\",\"windowEnd\":\""
            + today
            + "T18:00:00Z\"}",
        201);

    // what the dispatcher may run, by the API; no finance report among them
    JsonNode defs = dispatcher("/reports").path("items");
    Set<String> offered = new LinkedHashSet<>();
    Set<String> finance = new LinkedHashSet<>();
    for (JsonNode d : defs) {
      offered.add(d.path("name").asText());
      assertEquals(d.toString(), "OPERATIONS", d.path("audience").asText());
    }
    assertTrue(offered.toString(), offered.contains("job-status"));
    for (JsonNode d : api("finance", "/reports", 200).path("items")) {
      if ("FINANCE".equals(d.path("audience").asText())) {
        finance.add(d.path("name").asText());
      }
    }
    assertTrue("finance has finance reports: " + finance, finance.contains("revenue"));
    api("dispatcher", "/reports/revenue", 403);

    // the page and its chart library: behind the login, for the office, under the strict CSP
    HttpResponse<String> anonymous = get(null, "/reports/");
    assertEquals(401, anonymous.statusCode());
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").contains("FieldOps"));
    assertEquals("a technician may not", 403, get("anna", "/reports/").statusCode());
    HttpResponse<String> lib = get("dispatcher", "/reports/lib/chart.umd.js");
    assertEquals(200, lib.statusCode());
    assertTrue(lib.body(), lib.body().contains("Chart.js v4"));
    assertTrue(lib.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    String policy = lib.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(
        policy, policy.contains("script-src 'self';") && policy.contains("style-src 'self';"));
    assertEquals(200, get("finance", "/reports/").statusCode());
    assertEquals(404, get("dispatcher", "/reports/lib/nothing.js").statusCode());

    // log in the way a person does: Basic credentials for the page, reused for the API
    browser.navigate().to(page("dispatcher", "/reports/"));
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    awaitReport(wait, "job-status", today.toString(), today.toString());
    assertEquals(today.toString(), value("from"));
    assertEquals(today.toString(), value("to"));

    // the selector offers exactly the API's list: nothing of finance's
    Set<String> options = new LinkedHashSet<>();
    for (WebElement o : new Select(browser.findElement(By.id("report"))).getOptions()) {
      options.add(o.getAttribute("value"));
    }
    assertEquals(offered, options);
    for (String f : finance) {
      assertFalse(f + " offered to a dispatcher", options.contains(f));
    }

    // the demo day's chart is drawn, and the table is the API's
    assertChartDrawn("job-status");
    JsonNode report = dispatcher("/reports/job-status?from=" + today + "&to=" + today);
    assertFalse("the demo day has jobs", report.path("rows").isEmpty());
    assertTableEquals(report);
    long barsTotal =
        ((Number)
                js(
                    "const c = Chart.getChart(document.getElementById('chart'));"
                        + "return c.data.datasets.reduce((s, d) => s"
                        + " + d.data.reduce((a, v) => a + (v || 0), 0), 0);"))
            .longValue();
    assertEquals(
        "the stacked bars add up to the jobs",
        report.path("totals").path("total").asLong(),
        barsTotal);
    screenshot("reports.png");

    // group by customer: the markup customer's name is text in the table
    new Select(browser.findElement(By.id("group-by"))).selectByValue("customer");
    awaitReport(wait, "job-status", today.toString(), today.toString(), "customer");
    JsonNode byCustomer =
        dispatcher("/reports/job-status?from=" + today + "&to=" + today + "&groupBy=customer");
    assertTableEquals(byCustomer);
    WebElement cell =
        browser.findElement(
            By.cssSelector("#table tbody tr[data-group='" + customer + "'] td[data-col='label']"));
    assertEquals(markup, cell.getText());
    assertTrue(browser.findElements(By.id("injected")).isEmpty());
    assertTrue(browser.findElements(By.cssSelector("#table b")).isEmpty());
    assertChartDrawn("job-status");

    // another report
    new Select(browser.findElement(By.id("report"))).selectByValue("completions");
    awaitReport(wait, "completions", today.toString(), today.toString());
    assertEquals(title(defs, "completions"), browser.findElement(By.id("title")).getText());
    JsonNode completions = dispatcher("/reports/completions?from=" + today + "&to=" + today);
    assertTableEquals(completions);
    if (completions.path("rows").isEmpty()) {
      assertTrue(browser.findElement(By.id("empty")).isDisplayed());
    } else {
      assertChartDrawn("completions");
    }

    // every report the dispatcher may run: drawn with the API's figures, or the API's failure shown
    for (String name : offered) {
      new Select(browser.findElement(By.id("report"))).selectByValue(name);
      wait.until(
          d ->
              name.equals(main().getAttribute("data-report"))
                  && Set.of("ready", "error").contains(main().getAttribute("data-state")));
      DistributionProcess.Reply r =
          server.send(
              "GET",
              "/reports/" + name + "?from=" + today + "&to=" + today,
              "dispatcher",
              DEMO_PW,
              null,
              Duration.ofSeconds(30));
      if (r.status() != 200) {
        System.out.printf("report %s: the API answers %d %s%n", name, r.status(), r.body());
        assertEquals("error", main().getAttribute("data-state"));
        assertTrue(browser.findElement(By.id("error")).isDisplayed());
        continue;
      }
      assertEquals(name, "ready", main().getAttribute("data-state"));
      JsonNode shown = r.json();
      assertTableEquals(shown);
      // a chart, or the message that there is nothing to draw (no rows, or all figures zero)
      assertTrue(
          name,
          browser.findElement(By.id("chart-box")).isDisplayed()
              ^ browser.findElement(By.id("empty")).isDisplayed());
      if (shown.path("rows").isEmpty()) {
        assertTrue(name, browser.findElement(By.id("empty")).isDisplayed());
      }
      screenshot("reports-" + name + ".png");
    }
    new Select(browser.findElement(By.id("report"))).selectByValue("completions");
    awaitReport(wait, "completions", today.toString(), today.toString());

    // quick range: the last 7 days
    browser.findElement(By.id("q-7")).click();
    awaitReport(wait, "completions", today.minusDays(6).toString(), today.toString());
    assertTableEquals(
        dispatcher("/reports/completions?from=" + today.minusDays(6) + "&to=" + today));

    // an empty range says so, and draws no chart
    setRange("2001-01-01", "2001-01-31");
    awaitReport(wait, "completions", "2001-01-01", "2001-01-31");
    WebElement empty = browser.findElement(By.id("empty"));
    assertTrue(empty.isDisplayed());
    assertTrue(empty.getText(), empty.getText().contains("No data in this range"));
    assertFalse(browser.findElement(By.id("chart-box")).isDisplayed());

    // a range the API refuses (over 366 days): its reason is shown
    setRange("2020-01-01", today.toString());
    wait.until(d -> "error".equals(main().getAttribute("data-state")));
    String error = browser.findElement(By.id("error")).getText();
    assertTrue(error, error.contains("to:") && error.contains("366"));

    // back to the demo day's job status, and download it as CSV
    new Select(browser.findElement(By.id("report"))).selectByValue("job-status");
    browser.findElement(By.id("q-today")).click();
    awaitReport(wait, "job-status", today.toString(), today.toString(), "day");
    browser.findElement(By.id("download")).click();
    wait.until(d -> d.findElement(By.id("download")).getAttribute("data-file") != null);
    String file = browser.findElement(By.id("download")).getAttribute("data-file");
    String path = browser.findElement(By.id("download")).getAttribute("data-path");
    assertEquals("job-status_" + today + "_" + today + ".csv", file);
    Path saved = DOWNLOADS.resolve(file);
    wait.until(d -> Files.isRegularFile(saved) && saved.toFile().length() > 0);
    String csv = Files.readString(saved, StandardCharsets.UTF_8);
    // the same URL, fetched by the test with the dispatcher's credentials
    assertTrue(path, path.startsWith("/api/v1/reports/job-status?"));
    String fetched = csv("dispatcher", path);
    assertEquals("the download is the API's CSV", fetched, csv);
    List<List<String>> records = parseCsv(csv);
    List<String> header = new ArrayList<>();
    report.path("columns").forEach(c -> header.add(c.path("name").asText()));
    assertEquals(header, records.get(0));
    assertEquals(report.path("rows").size(), records.size() - 1);
    for (int i = 0; i < report.path("rows").size(); i++) {
      JsonNode row = report.path("rows").get(i);
      for (int c = 0; c < header.size(); c++) {
        JsonNode v = row.path(header.get(c));
        assertEquals(header.get(c), v.isNull() ? "" : v.asText(), records.get(i + 1).get(c));
      }
    }
    assertNoCspViolation();

    // the board links here, and back
    browser.findElement(By.id("to-board")).click();
    wait.until(d -> d.getCurrentUrl().contains("/board/"));
    wait.until(d -> !d.findElements(By.id("to-reports")).isEmpty());
    browser.findElement(By.id("to-reports")).click();
    awaitReport(wait, "job-status", today.toString(), today.toString());
    assertNoCspViolation();

    // finance sees the finance reports on the same page
    browser.navigate().to(page("finance", "/reports/?report=revenue"));
    awaitReport(wait, "revenue", today.toString(), today.toString());
    Set<String> financeOptions = new LinkedHashSet<>();
    for (WebElement o : new Select(browser.findElement(By.id("report"))).getOptions()) {
      financeOptions.add(o.getAttribute("value"));
    }
    assertTrue(financeOptions.toString(), financeOptions.containsAll(finance));
    assertTableEquals(api("finance", "/reports/revenue?from=" + today + "&to=" + today, 200));
    screenshot("reports-finance.png");
    assertNoCspViolation();
  }

  // ---------------------------------------------------------------- page helpers

  private static String page(String user, String path) {
    return "http://" + user + ":" + DEMO_PW + "@localhost:" + server.port() + path;
  }

  private static WebElement main() {
    return browser.findElement(By.id("main"));
  }

  private static void awaitReport(WebDriverWait wait, String name, String from, String to) {
    awaitReport(wait, name, from, to, null);
  }

  private static void awaitReport(
      WebDriverWait wait, String name, String from, String to, String groupBy) {
    wait.until(
        d -> {
          WebElement m = main();
          return "ready".equals(m.getAttribute("data-state"))
              && name.equals(m.getAttribute("data-report"))
              && from.equals(m.getAttribute("data-from"))
              && to.equals(m.getAttribute("data-to"))
              && (groupBy == null || groupBy.equals(m.getAttribute("data-group-by")));
        });
  }

  private static String value(String id) {
    return browser.findElement(By.id(id)).getAttribute("value");
  }

  private static void setRange(String from, String to) {
    js(
        "document.getElementById('from').value = arguments[0];"
            + "document.getElementById('to').value = arguments[1];"
            + "document.getElementById('to').dispatchEvent(new Event('change'));",
        from,
        to);
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  /** The canvas has a size, Chart.js drew datasets on it, and it is not blank. */
  private static void assertChartDrawn(String report) {
    WebElement canvas = browser.findElement(By.id("chart"));
    assertTrue(browser.findElement(By.id("chart-box")).isDisplayed());
    assertEquals(report, canvas.getAttribute("data-report"));
    assertTrue("canvas size " + canvas.getSize(), canvas.getSize().getWidth() > 200);
    assertTrue("canvas size " + canvas.getSize(), canvas.getSize().getHeight() > 100);
    long datasets =
        ((Number)
                js(
                    "const c = Chart.getChart(document.getElementById('chart'));"
                        + "return c ? c.data.datasets.length : 0;"))
            .longValue();
    assertTrue("datasets: " + datasets, datasets >= 1);
    long bars =
        ((Number)
                js(
                    "const c = Chart.getChart(document.getElementById('chart'));"
                        + "let n = 0; c.data.datasets.forEach((d, i) => {"
                        + " if (d.type === 'bar') n += c.getDatasetMeta(i).data"
                        + ".filter(b => b.height > 0 || b.width > 0 && b.height !== 0).length; });"
                        + "return n;"))
            .longValue();
    assertTrue("bars drawn: " + bars, bars >= 1);
    long painted =
        ((Number)
                js(
                    "const c = document.getElementById('chart');"
                        + "const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;"
                        + "return n;"))
            .longValue();
    assertTrue("painted pixels: " + painted, painted > 2000);
  }

  /** Every numeric cell of the table (rows and totals) shows the API's value for that column. */
  private static void assertTableEquals(JsonNode report) {
    List<String> numeric = new ArrayList<>();
    Map<String, String> types = new HashMap<>();
    for (JsonNode c : report.path("columns")) {
      types.put(c.path("name").asText(), c.path("type").asText());
      if (Set.of("COUNT", "NUMBER", "MONEY").contains(c.path("type").asText())) {
        numeric.add(c.path("name").asText());
      }
    }
    List<WebElement> rows = browser.findElements(By.cssSelector("#table tbody tr[data-group]"));
    assertEquals("rows", report.path("rows").size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode expected = report.path("rows").get(i);
      WebElement tr = rows.get(i);
      assertEquals(expected.path("group").asText(), tr.getAttribute("data-group"));
      for (String col : numeric) {
        assertCell(tr, col, expected.path(col), types.get(col));
      }
    }
    List<WebElement> foot = browser.findElements(By.cssSelector("#table tfoot tr"));
    if (report.path("totals").isObject() && !report.path("rows").isEmpty()) {
      assertEquals(1, foot.size());
      for (String col : numeric) {
        assertCell(foot.get(0), col, report.path("totals").path(col), types.get(col));
      }
    } else {
      assertTrue(foot.isEmpty());
    }
  }

  private static void assertCell(WebElement tr, String col, JsonNode expected, String type) {
    WebElement td = tr.findElement(By.cssSelector("td[data-col='" + col + "']"));
    String shown = td.getText().replace(",", "");
    if (expected.isNull() || expected.isMissingNode()) {
      assertEquals(col, "–", shown);
    } else if ("MONEY".equals(type)) {
      assertEquals(col, expected.asText(), shown);
    } else {
      assertEquals(col + " (" + shown + ")", expected.asDouble(), Double.parseDouble(shown), 0.005);
    }
  }

  private static String title(JsonNode defs, String name) {
    for (JsonNode d : defs) {
      if (name.equals(d.path("name").asText())) {
        return d.path("title").asText();
      }
    }
    throw new AssertionError("no definition " + name);
  }

  /** No CSP violation in the browser's console (a probe shows the console is being read). */
  private static void assertNoCspViolation() {
    js("console.error('reports-it-probe')");
    List<String> messages =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .collect(Collectors.toList());
    assertTrue(
        "console read: " + messages,
        messages.stream().anyMatch(m -> m.contains("reports-it-probe")));
    List<String> violations =
        messages.stream()
            .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
            .collect(Collectors.toList());
    assertTrue("CSP violations: " + violations, violations.isEmpty());
  }

  private static void screenshot(String name) throws IOException {
    Files.write(
        Paths.get("target", name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  // ---------------------------------------------------------------- API helpers

  private static JsonNode admin(String method, String path, String json, int expected)
      throws Exception {
    return server.admin(method, path, json).expect(expected);
  }

  private static JsonNode dispatcher(String path) throws IOException {
    return api("dispatcher", path, 200);
  }

  private static JsonNode api(String user, String path, int expected) throws IOException {
    return server.send("GET", path, user, DEMO_PW, null, Duration.ofSeconds(30)).expect(expected);
  }

  /** GET {@code path} (from the server's root) with the demo user's credentials, or none. */
  private static HttpResponse<String> get(String user, String path) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .timeout(Duration.ofSeconds(30));
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + DEMO_PW).getBytes(StandardCharsets.UTF_8)));
    }
    return HttpClient.newHttpClient()
        .send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** GET {@code path} (from the server's root) as CSV with the user's credentials. */
  private static String csv(String user, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Accept", "text/csv")
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((user + ":" + DEMO_PW).getBytes(StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertEquals(r.body(), 200, r.statusCode());
    String type = r.headers().firstValue("Content-Type").orElse("");
    assertTrue(type, type.startsWith("text/csv"));
    assertNotNull(r.headers().firstValue("Content-Disposition").orElse(null));
    return r.body();
  }

  /** RFC 4180: records separated by CRLF, fields by commas, quoted fields with "" for a quote. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        record = new ArrayList<>();
        i++;
      } else {
        field.append(ch);
      }
    }
    if (field.length() > 0 || !record.isEmpty()) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }

  private static String quoted(String s) throws Exception {
    return DistributionProcess.JSON.writeValueAsString(s);
  }
}
