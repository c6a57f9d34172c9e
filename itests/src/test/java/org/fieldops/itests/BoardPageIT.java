package org.fieldops.itests;

import static org.fieldops.itests.FieldOpsTestSupport.event;
import static org.fieldops.itests.FieldOpsTestSupport.events;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The board page in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, run
 * by Selenium) against the real server ({@code bin/karaf server} from the distribution, outside Pax
 * Exam): it loads a day made through the API, an assignment made on the page reaches the API with
 * its warning shown, a completion a technician uploads through {@code /me/events} turns the job's
 * colour without a reload, and a note with {@code <script>} shows as text. The browser logs in the
 * way a person does, with HTTP Basic credentials for the page that it then reuses for the API and
 * the event stream. Writes a screenshot to {@code target/board.png}.
 */
public class BoardPageIT {
  private static final String PW = "itest-password-1";
  private static final String OCCURRED_AT = "2026-11-25T10:00:00Z";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static DistributionProcess server;
  private static WebDriver browser;

  @BeforeClass
  public static void start() throws Exception {
    server = DistributionProcess.unpack();
    server.start();
    browser = HeadlessChromium.start(HeadlessChromium.options("1500,1000"));
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

  @Test
  public void theDispatcherAssignsAndSeesTheFieldLive() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    String dispatcher = "disp-" + suffix;
    String techUser = "tech-" + suffix;
    admin("POST", "/users", user(dispatcher, "dispatcher"), 201);
    admin("POST", "/users", user(techUser, "technician"), 201);
    String customer =
        id(admin("POST", "/customers", "{\"name\":\"Page Co\",\"currency\":\"USD\"}", 201));
    String site =
        id(
            admin(
                "POST",
                "/sites",
                "{\"customerId\":\"" + customer + "\",\"address\":\"9 Page Ave\"}",
                201));
    String tech =
        id(
            admin(
                "POST",
                "/technicians",
                "{\"name\":\"Paula Page\",\"username\":\""
                    + techUser
                    + "\",\"skills\":[\"plumbing\"]}",
                201));
    String other =
        id(admin("POST", "/technicians", "{\"name\":\"Omar Other\",\"skills\":[\"hvac\"]}", 201));
    String window =
        ",\"windowStart\":\"" + today + "T07:00:00Z\",\"windowEnd\":\"" + today + "T18:00:00Z\"";
    String fieldJob =
        id(
            admin(
                "POST",
                "/jobs",
                "{\"customerId\":\""
                    + customer
                    + "\",\"siteId\":\""
                    + site
                    + "\",\"title\":\"Leaking valve\",\"type\":\"plumbing.repair\""
                    + window
                    + "}",
                201));
    admin("PUT", "/jobs/" + fieldJob + "/assignment", slot(tech, today, "09:00", "10:00"), 200);
    String openJob =
        id(
            admin(
                "POST",
                "/jobs",
                "{\"customerId\":\""
                    + customer
                    + "\",\"siteId\":\""
                    + site
                    + "\",\"title\":\"Rooftop unit noisy\",\"type\":\"hvac.repair\""
                    + window
                    + "}",
                201));

    // log in the way a person does: Basic credentials for the page, reused for the API and stream
    browser
        .navigate()
        .to(
            "http://"
                + dispatcher
                + ":"
                + PW
                + "@localhost:"
                + server.port()
                + "/board/?date="
                + today);
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(d -> !d.findElements(By.cssSelector("[data-job='" + fieldJob + "']")).isEmpty());
    wait.until(d -> d.findElement(By.id("live")).getText().equals("live"));
    WebElement row = browser.findElement(By.cssSelector("[data-technician='" + tech + "']"));
    assertTrue(row.getText(), row.getText().contains("Paula Page"));
    assertEquals("never synced", "true", row.getAttribute("data-stale"));
    assertTrue(
        "unassigned job listed",
        browser.findElement(By.id("unassigned")).getText().contains("Rooftop unit noisy"));

    // assign the open job to Omar (no hvac skill missing) from the page; then to Paula: warning
    browser.findElement(By.cssSelector("#unassigned [data-job='" + openJob + "']")).click();
    wait.until(d -> d.findElement(By.id("d-title")).getText().equals("Rooftop unit noisy"));
    browser
        .findElement(By.cssSelector("#a-techs input[value='" + tech + "']"))
        .click(); // Paula lacks hvac
    setValue("a-start", "11:00");
    setValue("a-end", "12:00");
    browser.findElement(By.id("a-submit")).click();
    wait.until(d -> !d.findElements(By.cssSelector("#a-warnings li")).isEmpty());
    String warnings = browser.findElement(By.id("a-warnings")).getText();
    JsonNode assigned = admin("GET", "/jobs/" + openJob, null, 200);
    assertEquals("the assignment reached the API", "DISPATCHED", assigned.path("status").asText());
    assertEquals(tech, assigned.path("assignment").path("technicianIds").get(0).asText());
    assertTrue(
        "slot " + assigned.path("assignment"),
        assigned.path("assignment").path("start").asText().startsWith(today + "T11:00"));
    assertTrue("the missing-skill warning is shown: " + warnings, warnings.contains(":"));
    assertFalse("no error: " + warnings, warnings.toLowerCase().contains("error"));
    // the board moves the job onto Paula's row
    wait.until(
        d ->
            !d.findElements(
                    By.cssSelector("[data-technician='" + tech + "'] [data-job='" + openJob + "']"))
                .isEmpty());
    assertNotEquals(other, tech);

    // the technician completes the field job, and notes something with markup in it
    String before =
        browser
            .findElement(By.cssSelector(".lane [data-job='" + fieldJob + "']"))
            .getCssValue("background-color");
    String note = "<script>window.__injected = 1</script><b>bold?</b>";
    long version = admin("GET", "/jobs/" + fieldJob, null, 200).path("version").asLong();
    String device = "phone-" + suffix;
    String batch =
        events(
            device,
            event(1, fieldJob, "status", OCCURRED_AT, version, "{\"to\":\"ON_SITE\"}"),
            event(
                2,
                fieldJob,
                "checklist",
                OCCURRED_AT,
                version,
                "{\"templateId\":\"site-safety\",\"itemId\":\"ppe\",\"answer\":true}"),
            event(3, fieldJob, "note", OCCURRED_AT, version, "{\"text\":" + quoted(note) + "}"),
            event(4, fieldJob, "status", OCCURRED_AT, version, "{\"to\":\"COMPLETED\"}"));
    DistributionProcess.Reply r =
        server.send("POST", "/me/events", techUser, PW, batch, Duration.ofSeconds(30));
    JsonNode results = r.expect(200).path("results");
    for (JsonNode result : results) {
      assertEquals(result.toString(), "APPLIED", result.path("outcome").asText());
    }
    long sent = System.nanoTime();
    String selector = ".lane [data-job='" + fieldJob + "']";
    wait.until(
        d ->
            "COMPLETED"
                .equals(d.findElement(By.cssSelector(selector)).getAttribute("data-status")));
    System.out.printf(
        "page shows COMPLETED %d ms after the upload's response%n",
        (System.nanoTime() - sent) / 1_000_000);
    String after = browser.findElement(By.cssSelector(selector)).getCssValue("background-color");
    assertNotEquals("the job's colour changed", before, after);

    // the note: text, not markup (after the board re-reads itself)
    wait.until(d -> d.findElement(By.cssSelector(selector)).getText().contains("<script>"));
    WebElement card = browser.findElement(By.cssSelector(selector));
    assertTrue(card.getText(), card.getText().contains(note));
    assertTrue("no <b> element made", card.findElements(By.tagName("b")).isEmpty());
    assertTrue("no <script> element made", card.findElements(By.tagName("script")).isEmpty());
    assertEquals(
        "the script never ran",
        null,
        ((JavascriptExecutor) browser).executeScript("return window.__injected"));
    // and the stale marker is gone after the upload
    wait.until(
        d ->
            "false"
                .equals(
                    d.findElement(By.cssSelector("[data-technician='" + tech + "']"))
                        .getAttribute("data-stale")));

    // the job's details show the note as text too
    card.click();
    wait.until(d -> d.findElement(By.id("d-title")).getText().equals("Leaking valve"));
    wait.until(d -> !d.findElements(By.cssSelector("#d-notes .note")).isEmpty());
    assertEquals(note, browser.findElement(By.cssSelector("#d-notes .note")).getText());
    browser.findElement(By.cssSelector("[data-close='detail']")).click();

    Path shot = Paths.get("target", "board.png");
    Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private void setValue(String id, String value) {
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById(arguments[0]).value = arguments[1];", id, value);
  }

  private static JsonNode admin(String method, String path, String json, int expected)
      throws Exception {
    return server.admin(method, path, json).expect(expected);
  }

  private static String id(JsonNode created) {
    return created.path("id").asText();
  }

  private static String user(String name, String role) {
    return "{\"username\":\""
        + name
        + "\",\"password\":\""
        + PW
        + "\",\"roles\":[\""
        + role
        + "\"]}";
  }

  private static String slot(String tech, LocalDate day, String from, String to) {
    return "{\"technicianIds\":[\""
        + tech
        + "\"],\"start\":\""
        + day
        + "T"
        + from
        + ":00Z\",\"end\":\""
        + day
        + "T"
        + to
        + ":00Z\"}";
  }

  private static String quoted(String s) throws Exception {
    return DistributionProcess.JSON.writeValueAsString(s);
  }
}
