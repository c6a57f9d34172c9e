package org.fieldops.shell.internal;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fieldops.api.FieldOpsException;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.sync.PacketService;
import org.fieldops.api.sync.PacketService.PrimeReport;

/**
 * {@code fieldops:prime [--date YYYY-MM-DD]}: builds and stores every active technician's packet
 * for a day now (what the nightly priming does), printing progress.
 */
@Service
@Command(
    scope = "fieldops",
    name = "prime",
    description = "Builds and stores every active technician's packet for a day (default: today)")
public class PrimeCommand implements Action {
  @Option(
      name = "--date",
      aliases = "-d",
      description = "The day to prime, YYYY-MM-DD in the business time zone (default: today)")
  String date;

  @Reference PacketService packets;

  @Reference JobService jobs;

  @Override
  public Object execute() {
    PrintStream out = System.out;
    try {
      LocalDate day;
      try {
        day = date == null ? LocalDate.now(jobs.zone()) : LocalDate.parse(date.trim());
      } catch (DateTimeParseException bad) {
        throw new ConsoleInput.BadInput("Bad --date " + date + ". Use YYYY-MM-DD.");
      }
      out.println("Priming packets for " + day + " (" + jobs.zone().getId() + ")...");
      PrimeReport r =
          packets.prime(
              day,
              p -> {
                if (p.done() == p.technicians() || p.done() % 10 == 0) {
                  out.printf(
                      "  %d/%d technicians, %d jobs, %d ms%n",
                      p.done(), p.technicians(), p.jobs(), p.millis());
                  out.flush();
                }
              });
      out.printf(
          "Primed %d packets (%d jobs) for %s in %d ms%n", r.done(), r.jobs(), day, r.millis());
    } catch (ConsoleInput.BadInput | FieldOpsException e) {
      System.err.println("fieldops:prime: " + e.getMessage());
    }
    return null;
  }
}
