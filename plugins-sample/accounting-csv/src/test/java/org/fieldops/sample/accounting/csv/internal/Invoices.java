package org.fieldops.sample.accounting.csv.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceLine;
import org.fieldops.api.billing.InvoiceLineKind;
import org.fieldops.api.billing.InvoiceStatus;
import org.fieldops.api.master.Customer;

/** Test fixtures: a small invoice builder and a customer. */
final class Invoices {
  static final Customer ACME =
      new Customer(
          "cust-1",
          "Acme, \"Rooftops\" & Co",
          "1 Main St\nSpringfield",
          "ap@acme.example",
          new BigDecimal("0.0825"),
          "USD",
          1,
          Instant.parse("2020-01-01T00:00:00Z"),
          Instant.parse("2020-01-01T00:00:00Z"));

  private String number = "INV-000001";
  private InvoiceStatus status = InvoiceStatus.APPROVED;
  private final List<InvoiceLine> lines = new ArrayList<>();
  private Instant approvedAt = Instant.parse("2024-06-03T16:30:00Z");
  private Instant voidedAt;

  static Invoices invoice(String number) {
    Invoices b = new Invoices();
    b.number = number;
    return b;
  }

  Invoices line(InvoiceLineKind kind, String description, String quantity, String unitPrice) {
    BigDecimal q = new BigDecimal(quantity);
    BigDecimal p = new BigDecimal(unitPrice);
    lines.add(
        new InvoiceLine(
            "line-" + (lines.size() + 1),
            kind,
            description,
            q,
            p,
            q.multiply(p).setScale(2, java.math.RoundingMode.HALF_EVEN),
            null));
    return this;
  }

  Invoices voided(Instant at) {
    status = InvoiceStatus.VOID;
    voidedAt = at;
    return this;
  }

  Invoice build() {
    BigDecimal subtotal =
        lines.stream().map(InvoiceLine::amount).reduce(new BigDecimal("0.00"), BigDecimal::add);
    BigDecimal rate = new BigDecimal("0.0825");
    BigDecimal tax = subtotal.multiply(rate).setScale(2, java.math.RoundingMode.HALF_EVEN);
    return new Invoice(
        "id-" + number,
        number,
        "job-" + number,
        ACME.id(),
        status,
        "USD",
        lines,
        subtotal,
        rate,
        tax,
        subtotal.add(tax),
        List.of(),
        List.of(),
        3,
        approvedAt.minusSeconds(3600),
        approvedAt,
        approvedAt,
        "finance.fay",
        null,
        voidedAt);
  }

  /** A typical invoice: two hours of labor and a part. */
  static Invoice typical(String number) {
    return invoice(number)
        .line(InvoiceLineKind.LABOR, "Labor, standard rate", "2.00", "95.00")
        .line(InvoiceLineKind.PART, "Air filter 20x25x2, pleated", "2", "18.40")
        .build();
  }
}
