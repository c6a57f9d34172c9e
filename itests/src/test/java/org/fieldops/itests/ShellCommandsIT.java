package org.fieldops.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The console commands {@code fieldops:jobs} and {@code fieldops:job} in the real distribution:
 * jobs created over HTTP show up in the console, filters work, and bad input gives a message, not a
 * stack trace.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT extends FieldOpsTestSupport {

  @Inject SessionFactory sessionFactory;

  @Configuration
  public Option[] config() {
    return distribution();
  }

  @Before
  public void ready() throws Exception {
    awaitApi();
    awaitCommands();
  }

  /** A dispatcher's jobs: one NEW, one assigned to a technician with a login. */
  private record Book(
      String customerName,
      String newJob,
      String newTitle,
      String assignedJob,
      String assignedTitle,
      String techName,
      String techUser) {}

  private Book book() {
    String d = user("dispatcher");
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String customerName = "Shell Customer " + suffix;
    String customer =
        id(
            post(
                "/customers",
                d,
                PW,
                "{\"name\":" + quoted(customerName) + ",\"currency\":\"USD\"}"));
    String site =
        id(
            post(
                "/sites",
                d,
                PW,
                "{\"customerId\":\"" + customer + "\",\"address\":\"1 Console Way\"}"));
    String techUser = user("technician");
    String techName = "Tara " + suffix;
    String tech =
        id(
            post(
                "/technicians",
                d,
                PW,
                "{\"name\":" + quoted(techName) + ",\"username\":\"" + techUser + "\"}"));

    String finance = user("finance");
    Reply task =
        post(
            "/pricebook/flat-rate-tasks",
            finance,
            PW,
            "{\"code\":\"PM-BOILER\",\"name\":\"Boiler PM\",\"price\":\"120.00\",\"currency\":\"USD\"}");
    if (task.status() != 409) { // another test of this class may have created it
      task.expect(201);
    }
    String newTitle = "Boiler check " + suffix;
    String newJob =
        id(
            post(
                "/jobs",
                d,
                PW,
                "{\"customerId\":\""
                    + customer
                    + "\",\"siteId\":\""
                    + site
                    + "\",\"title\":"
                    + quoted(newTitle)
                    + ",\"type\":\"hvac.maintenance\",\"priority\":\"HIGH\","
                    + "\"windowStart\":\"2026-12-01T08:00:00Z\",\"windowEnd\":\"2026-12-01T17:00:00Z\","
                    + "\"flatRateTasks\":[{\"code\":\"PM-BOILER\",\"quantity\":2}]}"));
    String assignedTitle = "Pump repair " + suffix;
    String assignedJob =
        id(
            post(
                "/jobs",
                d,
                PW,
                "{\"customerId\":\""
                    + customer
                    + "\",\"siteId\":\""
                    + site
                    + "\",\"title\":"
                    + quoted(assignedTitle)
                    + ",\"type\":\"plumbing.repair\","
                    + "\"windowStart\":\"2026-12-02T08:00:00Z\",\"windowEnd\":\"2026-12-02T17:00:00Z\"}"));
    call(
            "PUT",
            "/jobs/" + assignedJob + "/assignment",
            d,
            PW,
            "application/json",
            "{\"technicianIds\":[\""
                + tech
                + "\"],\"start\":\"2026-12-02T09:00:00Z\",\"end\":\"2026-12-02T10:30:00Z\"}")
        .expect(200);
    return new Book(customerName, newJob, newTitle, assignedJob, assignedTitle, techName, techUser);
  }

  @Test
  public void jobsListsAndFilters() throws Exception {
    Book b = book();

    String news = execute("fieldops:jobs --status NEW --limit 500");
    assertTrue(news, news.contains(b.newJob()));
    assertTrue(news, news.contains(b.newTitle()));
    assertTrue(news, news.contains("NEW"));
    assertTrue(news, news.contains("HIGH"));
    assertTrue(news, news.contains("window 2026-12-01 08:00-17:00"));
    assertFalse(news, news.contains(b.assignedTitle()));

    // by the technician's username: only the assigned job, with the technician's name and the slot
    String mine = execute("fieldops:jobs --technician " + b.techUser());
    assertTrue(mine, mine.contains(b.assignedTitle()));
    assertTrue(mine, mine.contains("DISPATCHED"));
    assertTrue(mine, mine.contains(b.techName()));
    assertTrue(mine, mine.contains("slot 2026-12-02 09:00-10:30"));
    assertFalse(mine, mine.contains(b.newTitle()));

    String dayOne = execute("fieldops:jobs --date 2026-12-01");
    assertTrue(dayOne, dayOne.contains(b.newTitle()));
    assertFalse(dayOne, dayOne.contains(b.assignedTitle()));
    String none = execute("fieldops:jobs --date 2030-01-01");
    assertTrue(none, none.contains("No jobs match."));
  }

  @Test
  public void jobShowsTheWholeRecord() throws Exception {
    Book b = book();

    String shown = execute("fieldops:job " + b.newJob());
    assertTrue(shown, shown.contains(b.newJob()));
    assertTrue(shown, shown.contains(b.newTitle()));
    assertTrue(shown, shown.contains("NEW"));
    assertTrue(shown, shown.contains(b.customerName()));
    assertTrue(shown, shown.contains("1 Console Way"));
    assertTrue(shown, shown.contains("PM-BOILER"));
    assertTrue(shown, shown.contains("not assigned"));
    assertTrue(shown, shown.contains("created"));

    String assigned = execute("fieldops:job " + b.assignedJob());
    assertTrue(assigned, assigned.contains(b.assignedTitle()));
    assertTrue(assigned, assigned.contains("DISPATCHED"));
    assertTrue(assigned, assigned.contains(b.techName()));
    assertTrue(assigned, assigned.contains("2026-12-02 09:00-10:30"));
    assertTrue(assigned, assigned.contains("assigned"));
  }

  @Test
  public void badInputGivesAMessageNotAStackTrace() throws Exception {
    String bogus = execute("fieldops:jobs --status BOGUS");
    assertTrue(bogus, bogus.contains("Unknown status 'BOGUS'"));
    assertTrue(
        bogus,
        bogus.contains(
            "NEW, SCHEDULED, DISPATCHED, EN_ROUTE, ON_SITE, PAUSED, COMPLETED, INVOICED, CLOSED, ON_HOLD, CANCELLED"));
    assertNoStackTrace(bogus);

    String date = execute("fieldops:jobs --date 01/12/2026");
    assertTrue(date, date.contains("Bad date '01/12/2026'. Use YYYY-MM-DD"));
    assertNoStackTrace(date);

    String limit = execute("fieldops:jobs --limit 0");
    assertTrue(limit, limit.contains("Bad --limit 0"));

    String technician = execute("fieldops:jobs --technician nobody-at-all");
    assertTrue(
        technician, technician.contains("No technician with id or username 'nobody-at-all'"));

    String missing = execute("fieldops:job no-such-job");
    assertTrue(missing, missing.contains("job no-such-job not found"));
    assertNoStackTrace(missing);
  }

  /** {@code fieldops:prime} builds every active technician's packet now, with progress. */
  @Test
  public void primeBuildsThePacketsOfADayWithProgress() throws Exception {
    String primed = execute("fieldops:prime --date 2026-11-26");
    assertTrue(primed, primed.contains("Priming packets for 2026-11-26"));
    assertTrue(
        primed, primed.matches("(?s).*Primed \\d+ packets \\(\\d+ jobs\\) for 2026-11-26.*"));
    String bad = execute("fieldops:prime --date 26.11.2026");
    assertTrue(bad, bad.contains("Bad --date 26.11.2026. Use YYYY-MM-DD."));
    assertNoStackTrace(bad);
  }

  /** {@code fieldops:report}: the list, a report as a table by day, and bad input. */
  @Test
  public void reportPrintsATable() throws Exception {
    book(); // a NEW job with a window on 2026-12-01, a DISPATCHED one with a slot on 2026-12-02

    String list = execute("fieldops:report");
    assertTrue(list, list.contains("job-status"));
    assertTrue(list, list.contains("revenue"));
    assertTrue(list, list.contains("FINANCE"));

    String table = execute("fieldops:report job-status --from 2026-12-01 --to 2026-12-02");
    assertTrue(table, table.contains("Jobs by status - 2026-12-01 to 2026-12-02 (UTC), by day"));
    assertTrue(table, table.matches("(?s).*2026-12-01\\s.*2026-12-02\\s.*Total.*"));
    assertTrue(table, table.contains("DISPATCHED"));

    String bad = execute("fieldops:report job-status --from 2026-12-02 --to 2026-12-01");
    assertTrue(bad, bad.contains("fieldops:report: ") && bad.contains("to"));
    assertNoStackTrace(bad);
    String unknown = execute("fieldops:report nope");
    assertTrue(unknown, unknown.contains("report nope not found"));
    String grouping = execute("fieldops:report parts --group-by planet");
    assertTrue(
        grouping, grouping.contains("must be one of sku, technician, customer, jobType, day"));
  }

  private static void assertNoStackTrace(String output) {
    assertFalse(
        "stack trace in: " + output, output.contains("Exception") || output.contains("\tat "));
  }

  /** Runs one command line in a fresh console session; returns what it printed (out and err). */
  private String execute(String command) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
    try {
      session.execute(command);
    } finally {
      out.flush();
      session.close();
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.println("$ " + command + "\n" + printed);
    return printed;
  }

  /**
   * The commands register once their bundle and the services they use are up, shortly after boot.
   */
  private void awaitCommands() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        execute("fieldops:jobs --limit 1");
        return;
      } catch (Exception notYet) {
        last = notYet;
        Thread.sleep(250);
      }
    }
    throw new AssertionError("fieldops commands not registered: " + last, last);
  }
}
