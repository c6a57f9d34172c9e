package org.fieldops.billing.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fieldops.api.billing.InvoiceLine;
import org.fieldops.api.billing.InvoiceLineKind;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.WorkOrder;

/**
 * The invoice lines a job's record yields: labor rounded up to the billing increment at the rate
 * code's hourly rate, parts and flat-rate tasks at the price in force when the server applied them.
 * Voided job lines yield nothing.
 */
final class Drafting {
  private Drafting() {}

  /** The drafted lines (ids null, source line ids set) and the currencies their prices are in. */
  record Drafted(List<InvoiceLine> lines, Set<String> currencies) {}

  static Drafted linesOf(WorkOrder job, int incrementMinutes) {
    List<InvoiceLine> out = new ArrayList<>();
    Set<String> currencies = new LinkedHashSet<>();
    for (JobLine l : job.labor()) {
      if (l.voided() || l.startedAt() == null || l.endedAt() == null || l.unitPrice() == null) {
        continue;
      }
      BigDecimal hours =
          Money.billedHours(Duration.between(l.startedAt(), l.endedAt()), incrementMinutes);
      out.add(
          new InvoiceLine(
              null,
              InvoiceLineKind.LABOR,
              describe(l.description(), l.code()) + " (" + hours.toPlainString() + " h)",
              hours,
              l.unitPrice(),
              Money.amount(hours, l.unitPrice()),
              l.id()));
      currencies.add(l.currency());
    }
    add(out, currencies, job.parts(), InvoiceLineKind.PART);
    add(out, currencies, job.flatRateTasks(), InvoiceLineKind.FLAT_RATE);
    currencies.remove(null);
    return new Drafted(out, currencies);
  }

  private static void add(
      List<InvoiceLine> out, Set<String> currencies, List<JobLine> lines, InvoiceLineKind kind) {
    for (JobLine l : lines) {
      if (l.voided() || l.quantity() == null || l.unitPrice() == null) {
        continue;
      }
      out.add(
          new InvoiceLine(
              null,
              kind,
              describe(l.description(), l.code()),
              l.quantity(),
              l.unitPrice(),
              Money.amount(l.quantity(), l.unitPrice()),
              l.id()));
      currencies.add(l.currency());
    }
  }

  private static String describe(String description, String code) {
    String d = description == null || description.isBlank() ? "" : description;
    return code == null ? d : d.isEmpty() ? code : code + " " + d;
  }
}
