package org.fieldops.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fieldops.api.FieldOpsException;
import org.fieldops.api.PageRequest;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.AuditEntry;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.master.CustomerService;
import org.fieldops.api.master.SiteService;
import org.fieldops.api.master.TechnicianService;

/**
 * {@code fieldops:job ID}: the whole work order: its fields, assignment, flat-rate tasks and the
 * newest audit entries. An unknown id or bad option is reported on the console's error stream as
 * one line.
 */
@Service
@Command(
    scope = "fieldops",
    name = "job",
    description = "Shows one work order: fields, assignment, flat-rate tasks, newest audit entries")
public class JobCommand implements Action {
  /** How many audit entries the record itself carries (see {@link WorkOrder#audit()}). */
  private static final int AUDIT_IN_RECORD = 50;

  @Argument(
      index = 0,
      name = "id",
      required = true,
      description = "The job's id (the ID column of fieldops:jobs)")
  String id;

  @Option(
      name = "--audit",
      aliases = "-a",
      description =
          "How many of the newest audit entries to show (0 for none, at most "
              + PageRequest.MAX_LIMIT
              + ")")
  int audit = 10;

  @Reference JobService jobs;

  @Reference TechnicianService technicians;

  @Reference CustomerService customers;

  @Reference SiteService sites;

  @Override
  public Object execute() {
    PrintStream out = System.out;
    try {
      if (audit < 0 || audit > PageRequest.MAX_LIMIT) {
        throw new ConsoleInput.BadInput(
            "Bad --audit " + audit + ". Use 0 to " + PageRequest.MAX_LIMIT + ".");
      }
      WorkOrder job = jobs.get(id.trim());
      List<AuditEntry> entries =
          audit <= AUDIT_IN_RECORD || job.audit().size() < AUDIT_IN_RECORD
              ? job.audit().subList(0, Math.min(audit, job.audit().size()))
              : jobs.audit(job.id(), PageRequest.first(audit)).items();
      printFields(job, out);
      printAssignment(job.assignment(), out);
      printLines(job, out);
      printAudit(entries, out);
    } catch (ConsoleInput.BadInput | FieldOpsException e) {
      System.err.println("fieldops:job: " + e.getMessage());
    }
    return null;
  }

  private void printFields(WorkOrder job, PrintStream out) {
    ShellTable t = fieldTable();
    t.addRow().addContent("ID", job.id());
    t.addRow().addContent("Title", job.title());
    t.addRow().addContent("Status", job.status());
    t.addRow().addContent("Priority", JobText.orDash(job.priority()));
    t.addRow().addContent("Type", JobText.orDash(job.type()));
    t.addRow().addContent("Customer", named(job.customerId(), cid -> customers.get(cid).name()));
    t.addRow().addContent("Site", named(job.siteId(), sid -> sites.get(sid).address()));
    t.addRow()
        .addContent(
            "Equipment",
            job.equipmentIds().isEmpty() ? "-" : String.join(", ", job.equipmentIds()));
    t.addRow().addContent("Window (UTC)", JobText.period(job.windowStart(), job.windowEnd()));
    t.addRow()
        .addContent(
            "Estimate", job.estimatedMinutes() == null ? "-" : job.estimatedMinutes() + " min");
    t.addRow().addContent("Description", JobText.orDash(job.description()));
    t.addRow().addContent("Version", job.version());
    t.addRow().addContent("Created (UTC)", JobText.at(job.createdAt()));
    t.addRow().addContent("Updated (UTC)", JobText.at(job.updatedAt()));
    t.print(out);
  }

  private void printAssignment(Assignment assignment, PrintStream out) {
    out.println();
    out.println("Assignment");
    if (assignment == null || !assignment.hasTechnicians()) {
      out.println("  not assigned");
      return;
    }
    TechnicianNames names = new TechnicianNames(technicians);
    ShellTable t = fieldTable();
    for (String technicianId : assignment.technicianIds()) {
      t.addRow().addContent("Technician", names.nameOf(technicianId) + " (" + technicianId + ")");
    }
    t.addRow().addContent("Slot (UTC)", JobText.period(assignment.start(), assignment.end()));
    t.print(out);
  }

  private static void printLines(WorkOrder job, PrintStream out) {
    List<JobLine> lines = new java.util.ArrayList<>();
    lines.addAll(job.labor());
    lines.addAll(job.parts());
    lines.addAll(job.flatRateTasks());
    lines.addAll(job.notes());
    out.println();
    out.println("Lines");
    if (lines.isEmpty()) {
      out.println("  none");
      return;
    }
    ShellTable t = new ShellTable();
    t.column("Kind");
    t.column("Code");
    t.column("Description");
    t.column("Quantity").alignRight();
    t.column("Unit price").alignRight();
    t.column("Amount").alignRight();
    for (JobLine l : lines) {
      String what = l.text() != null ? l.text() : JobText.orDash(l.description());
      t.addRow()
          .addContent(
              l.kind() + (l.voided() ? " (void)" : ""),
              JobText.orDash(l.code()),
              what,
              JobText.orDash(l.quantity() == null ? null : l.quantity().toPlainString()),
              l.unitPrice() == null ? "-" : l.unitPrice().toPlainString() + " " + l.currency(),
              l.amount() == null ? "-" : l.amount().toPlainString());
    }
    t.print(out);
  }

  private static void printAudit(List<AuditEntry> entries, PrintStream out) {
    if (entries.isEmpty()) {
      return;
    }
    out.println();
    out.println(
        "Audit, newest first ("
            + entries.size()
            + (entries.size() == 1 ? " entry" : " entries")
            + " shown; --audit N for another number)");
    ShellTable t = new ShellTable();
    t.column("Version").alignRight();
    t.column("At (UTC)");
    t.column("Actor");
    t.column("Action");
    t.column("Field");
    t.column("Old").maxSize(40);
    t.column("New").maxSize(40);
    for (AuditEntry e : entries) {
      t.addRow()
          .addContent(
              e.version(),
              JobText.at(e.at()),
              JobText.orDash(e.actor()),
              JobText.orDash(e.action()),
              JobText.orDash(e.field()),
              JobText.orDash(e.oldValue()),
              JobText.orDash(e.newValue()));
    }
    t.print(out);
  }

  private static ShellTable fieldTable() {
    ShellTable t = new ShellTable().noHeaders();
    t.column("Field");
    t.column("Value").maxSize(100).wrap();
    return t;
  }

  /** {@code name (id)}, or just the id when the name cannot be read. */
  private static String named(String id, Function<String, String> name) {
    if (id == null) {
      return "-";
    }
    try {
      return name.apply(id) + " (" + id + ")";
    } catch (FieldOpsException gone) {
      return id;
    }
  }
}
