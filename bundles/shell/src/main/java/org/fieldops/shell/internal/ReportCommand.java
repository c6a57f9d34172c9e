package org.fieldops.shell.internal;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fieldops.api.FieldOpsException;
import org.fieldops.api.reports.Report;
import org.fieldops.api.reports.ReportColumn;
import org.fieldops.api.reports.ReportDefinition;
import org.fieldops.api.reports.ReportQuery;
import org.fieldops.api.reports.ReportService;
import org.fieldops.api.security.Caller;

/**
 * {@code fieldops:report NAME --from --to [--group-by]}: one report as a table (the console is the
 * operator's, so every report is available). Without a name it lists the reports.
 */
@Service
@Command(
    scope = "fieldops",
    name = "report",
    description =
        "Prints a report (job-status, completions, job-times, parts, labor, revenue,"
            + " drafts, sync-health, rejection-reasons) as a table; without NAME lists them")
public class ReportCommand implements Action {

  /**
   * The report's name, then (as the usage has it) optionally {@code --from}, {@code --to},
   * {@code --group-by} after it: Karaf stops reading options at the first argument, so the words
   * after the name are read here.
   */
  @Argument(
      index = 0,
      name = "name",
      description = "The report, e.g. job-status (options may follow it)",
      multiValued = true)
  java.util.List<String> words;

  String name;

  @Option(name = "--from", aliases = "-f", description = "First day, YYYY-MM-DD (default today)")
  String from;

  @Option(name = "--to", aliases = "-t", description = "Last day, YYYY-MM-DD (default: from)")
  String to;

  @Option(
      name = "--group-by",
      aliases = "-g",
      description = "Grouping, e.g. technician, day, customer, jobType (default: the report's)")
  String groupBy;

  @Reference ReportService reports;

  @Override
  public Object execute() {
    PrintStream out = System.out;
    try {
      readWords();
      if (name == null) {
        ShellTable table = new ShellTable();
        table.column("Report");
        table.column("Audience");
        table.column("Group by");
        table.column("Title");
        for (ReportDefinition d : reports.definitions(Caller.system())) {
          table
              .addRow()
              .addContent(d.name(), d.audience(), String.join(",", d.groupBy()), d.title());
        }
        table.print(out);
        return null;
      }
      LocalDate fromDay = from == null ? null : ConsoleInput.date(from);
      LocalDate toDay = to == null ? null : ConsoleInput.date(to);
      Report report =
          reports.run(name, new ReportQuery(fromDay, toDay, groupBy, null), Caller.system());
      out.println(
          report.title()
              + " - "
              + report.from()
              + " to "
              + report.to()
              + " ("
              + report.zone()
              + "), by "
              + report.groupBy());
      ShellTable table = new ShellTable();
      for (ReportColumn c : report.columns()) {
        if (!c.name().equals("group") || !hasLabels(report)) {
          table.column(c.label());
        }
      }
      for (Map<String, Object> row : report.rows()) {
        add(table, report, row);
      }
      if (report.totals() != null) {
        add(table, report, report.totals());
      }
      table.print(out);
    } catch (ConsoleInput.BadInput | FieldOpsException e) {
      System.err.println("fieldops:report: " + e.getMessage());
    }
    return null;
  }

  /** The name, and options written after it ({@code --from X} or {@code --from=X}). */
  private void readWords() {
    if (words == null || words.isEmpty()) {
      return;
    }
    name = words.get(0);
    for (int i = 1; i < words.size(); i++) {
      String word = words.get(i);
      String value = null;
      int eq = word.indexOf('=');
      if (word.startsWith("-") && eq > 0) {
        value = word.substring(eq + 1);
        word = word.substring(0, eq);
      } else if (word.startsWith("-")) {
        if (i + 1 >= words.size()) {
          throw new ConsoleInput.BadInput("Option " + word + " needs a value.");
        }
        value = words.get(++i);
      }
      switch (word) {
        case "--from", "-f" -> from = value;
        case "--to", "-t" -> to = value;
        case "--group-by", "-g" -> groupBy = value;
        default ->
            throw new ConsoleInput.BadInput(
                "Unexpected '"
                    + word
                    + "'. Usage: fieldops:report NAME [--from YYYY-MM-DD]"
                    + " [--to YYYY-MM-DD] [--group-by X]");
      }
    }
  }

  /** Ids are long; when a row has a name, the name stands for it. */
  private static boolean hasLabels(Report report) {
    return report.rows().stream()
        .anyMatch(r -> !String.valueOf(r.get("label")).equals(String.valueOf(r.get("group"))));
  }

  private static void add(ShellTable table, Report report, Map<String, Object> row) {
    var r = table.addRow();
    boolean labels = hasLabels(report);
    for (ReportColumn c : report.columns()) {
      if (c.name().equals("group") && labels) {
        continue;
      }
      Object v = row.get(c.name());
      r.addContent(v == null ? "" : v instanceof java.math.BigDecimal d ? d.toPlainString() : v);
    }
  }
}
