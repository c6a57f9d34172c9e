package org.fieldops.sample.accounting.csv.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceLine;
import org.fieldops.api.master.Customer;

/**
 * The journal's columns and the rows of one invoice: one row per line item, the invoice's totals
 * repeated on each row (an invoice without lines still gets one row, with empty line columns, so
 * that it is on record).
 *
 * <p>{@code entry} is {@code INVOICE} or {@code VOID}. A void row reverses the invoice: quantity,
 * amount, subtotal, tax and total carry the opposite sign, the unit price stays as it was. {@code
 * entry_date} is the approval date of an invoice, the void date of a void; {@code invoice_date} is
 * always the approval date. Text fields that a spreadsheet would take for a formula (starting with
 * {@code = + - @}, tab or CR) are prefixed with an apostrophe.
 */
final class JournalRows {
  static final List<String> HEADER =
      List.of(
          "entry",
          "key",
          "invoice_number",
          "invoice_date",
          "entry_date",
          "customer_id",
          "customer_name",
          "job_id",
          "line_no",
          "kind",
          "description",
          "quantity",
          "unit_price",
          "amount",
          "currency",
          "subtotal",
          "tax_rate",
          "tax",
          "total");

  static final int KEY_COLUMN = HEADER.indexOf("key");

  private JournalRows() {}

  static List<List<String>> rows(
      Invoice invoice, Customer customer, String key, boolean isVoid, ZoneId zone, Instant now) {
    String number = invoice.number() != null ? invoice.number() : key;
    Instant approvedAt = invoice.approvedAt() != null ? invoice.approvedAt() : now;
    Instant entryAt = !isVoid ? approvedAt : invoice.voidedAt() != null ? invoice.voidedAt() : now;
    List<List<String>> rows = new ArrayList<>();
    List<InvoiceLine> lines = invoice.lines();
    for (int i = 0; i < Math.max(1, lines.size()); i++) {
      InvoiceLine line = i < lines.size() ? lines.get(i) : null;
      List<String> row = new ArrayList<>(HEADER.size());
      row.add(isVoid ? "VOID" : "INVOICE");
      row.add(key);
      row.add(number);
      row.add(date(approvedAt, zone));
      row.add(date(entryAt, zone));
      row.add(customer != null ? customer.id() : invoice.customerId());
      row.add(text(customer != null ? customer.name() : null));
      row.add(invoice.jobId());
      row.add(line == null ? "" : String.valueOf(i + 1));
      row.add(line == null || line.kind() == null ? "" : line.kind().name());
      row.add(line == null ? "" : text(line.description()));
      row.add(line == null ? "" : money(line.quantity(), isVoid));
      row.add(line == null ? "" : money(line.unitPrice(), false));
      row.add(line == null ? "" : money(line.amount(), isVoid));
      row.add(invoice.currency());
      row.add(money(invoice.subtotal(), isVoid));
      row.add(money(invoice.taxRate(), false));
      row.add(money(invoice.tax(), isVoid));
      row.add(money(invoice.total(), isVoid));
      rows.add(row);
    }
    return rows;
  }

  private static String date(Instant at, ZoneId zone) {
    return LocalDate.ofInstant(at, zone).toString();
  }

  private static String money(BigDecimal value, boolean negate) {
    if (value == null) {
      return "";
    }
    return (negate ? value.negate() : value).toPlainString();
  }

  /** Neutralizes spreadsheet formulas (CSV injection); {@code null} becomes empty. */
  static String text(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    return "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
  }
}
