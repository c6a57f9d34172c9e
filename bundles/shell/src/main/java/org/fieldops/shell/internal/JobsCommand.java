package org.fieldops.shell.internal;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fieldops.api.FieldOpsException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.jobs.JobQuery;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.master.TechnicianService;

/**
 * {@code fieldops:jobs}: a table of work orders, filtered like {@code GET /jobs}. Bad input is
 * reported on the console's error stream as one line; the command then returns without a result.
 */
@Service
@Command(
    scope = "fieldops",
    name = "jobs",
    description = "Lists work orders, optionally filtered by day, status and technician")
public class JobsCommand implements Action {
  static final int DEFAULT_LIMIT = 50;

  @Option(
      name = "--date",
      aliases = "-d",
      description =
          "Only jobs whose window or slot touches this day, YYYY-MM-DD (in the business time zone)")
  String date;

  @Option(
      name = "--status",
      aliases = "-s",
      description = "Only jobs in this status, e.g. NEW, DISPATCHED, ON_HOLD")
  @Completion(JobStatusCompleter.class)
  String status;

  @Option(
      name = "--technician",
      aliases = "-t",
      description =
          "Only jobs assigned to this technician: a technician id, or the username linked to one")
  String technician;

  @Option(
      name = "--limit",
      aliases = "-n",
      description = "At most this many jobs (1 to " + PageRequest.MAX_LIMIT + ")")
  int limit = DEFAULT_LIMIT;

  @Reference JobService jobs;

  @Reference TechnicianService technicians;

  @Override
  public Object execute() {
    PrintStream out = System.out;
    try {
      JobStatus statusFilter = status == null ? null : ConsoleInput.status(status);
      LocalDate day = date == null ? null : ConsoleInput.date(date);
      String technicianId = null;
      if (technician != null) {
        Optional<String> found = new TechnicianNames(technicians).idOf(technician);
        if (found.isEmpty()) {
          throw new ConsoleInput.BadInput(
              "No technician with id or username '" + technician + "'.");
        }
        technicianId = found.get();
      }
      ConsoleInput.limit(limit);

      Page<WorkOrder> page =
          jobs.list(new JobQuery(statusFilter, technicianId, day, null), PageRequest.first(limit));
      print(page, out);
    } catch (ConsoleInput.BadInput | FieldOpsException e) {
      System.err.println("fieldops:jobs: " + e.getMessage());
    }
    return null;
  }

  private void print(Page<WorkOrder> page, PrintStream out) {
    TechnicianNames names = new TechnicianNames(technicians);
    ShellTable table = new ShellTable().emptyTableText("No jobs match.");
    table.column("ID");
    table.column("Status");
    table.column("Priority");
    table.column("Title").maxSize(40);
    table.column("Window / slot (UTC)");
    table.column("Technicians").maxSize(40);
    for (WorkOrder job : page.items()) {
      table
          .addRow()
          .addContent(
              job.id(),
              job.status(),
              job.priority() == null ? "-" : job.priority(),
              job.title(),
              JobText.when(job),
              job.assignment().hasTechnicians()
                  ? names.namesOf(job.assignment().technicianIds())
                  : "-");
    }
    table.print(out);
    if (page.nextCursor() != null) {
      out.println(
          page.items().size()
              + " shown, more match: narrow the filter or raise --limit (at most "
              + PageRequest.MAX_LIMIT
              + ")");
    } else if (!page.items().isEmpty()) {
      out.println(page.items().size() + (page.items().size() == 1 ? " job" : " jobs"));
    }
  }
}
