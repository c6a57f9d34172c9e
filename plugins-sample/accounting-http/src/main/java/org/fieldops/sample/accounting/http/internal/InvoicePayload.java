package org.fieldops.sample.accounting.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceLine;
import org.fieldops.api.master.Customer;

/**
 * The JSON documents posted to the accounting system, as ordered maps for Jackson. Money is written
 * as JSON numbers with their scale ({@code 190.00}); times as ISO-8601 UTC text. The platform's own
 * records are not serialized directly, so the wire format stays the sample's own.
 */
final class InvoicePayload {
  private InvoicePayload() {}

  /** The document of an approved invoice: {@code POST <url>}. */
  static Map<String, Object> invoice(Invoice invoice, Customer customer) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", "invoice");
    doc.put("number", invoice.number());
    doc.put("reference", invoice.id());
    doc.put("jobId", invoice.jobId());
    doc.put("issuedAt", text(invoice.approvedAt()));
    doc.put("currency", invoice.currency());
    doc.put("customer", customer(invoice, customer));
    List<Map<String, Object>> lines = new ArrayList<>();
    int no = 1;
    for (InvoiceLine l : invoice.lines()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("lineNo", no++);
      line.put("kind", l.kind() == null ? null : l.kind().name());
      line.put("description", l.description());
      line.put("quantity", l.quantity());
      line.put("unitPrice", l.unitPrice());
      line.put("amount", l.amount());
      lines.add(line);
    }
    doc.put("lines", lines);
    doc.put("subtotal", invoice.subtotal());
    doc.put("taxRate", invoice.taxRate());
    doc.put("tax", invoice.tax());
    doc.put("total", invoice.total());
    return doc;
  }

  /** The document of a void: {@code POST <url>/<number>/void}. */
  static Map<String, Object> voided(Invoice invoice, Customer customer) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", "void");
    doc.put("number", invoice.number());
    doc.put("reference", invoice.id());
    doc.put("voidedAt", text(invoice.voidedAt()));
    doc.put("customer", customer(invoice, customer));
    doc.put("currency", invoice.currency());
    doc.put("total", invoice.total());
    return doc;
  }

  private static Map<String, Object> customer(Invoice invoice, Customer customer) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", customer != null ? customer.id() : invoice.customerId());
    if (customer != null) {
      c.put("name", customer.name());
      c.put("billingAddress", customer.billingAddress());
      c.put("contact", customer.contact());
    }
    return c;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
