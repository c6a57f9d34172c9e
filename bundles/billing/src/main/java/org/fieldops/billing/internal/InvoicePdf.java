package org.fieldops.billing.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceLine;
import org.fieldops.api.master.Customer;

/** The invoice as a PDF (Apache PDFBox): header, customer, one row per line, totals. */
final class InvoicePdf {
  private static final float MARGIN = 50;
  private static final float ROW = 16;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private InvoicePdf() {}

  static byte[] render(Invoice invoice, Customer customer) {
    try (PDDocument doc = new PDDocument()) {
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setTitle(title(invoice));
      info.setCreator("FieldOps");
      Writer w = new Writer(doc);
      w.text(PDType1Font.HELVETICA_BOLD, 18, title(invoice));
      w.gap();
      w.text(PDType1Font.HELVETICA, 10, "Status: " + invoice.status());
      if (invoice.approvedAt() != null) {
        w.text(PDType1Font.HELVETICA, 10, "Date: " + DAY.format(invoice.approvedAt()));
      }
      w.text(PDType1Font.HELVETICA, 10, "Job: " + invoice.jobId());
      w.gap();
      w.text(PDType1Font.HELVETICA_BOLD, 11, "Bill to");
      w.text(PDType1Font.HELVETICA, 10, customer.name());
      if (customer.billingAddress() != null) {
        for (String line : customer.billingAddress().split("\\R")) {
          w.text(PDType1Font.HELVETICA, 10, line);
        }
      }
      w.gap();
      w.row(PDType1Font.HELVETICA_BOLD, "Description", "Qty", "Unit price", "Amount");
      for (InvoiceLine l : invoice.lines()) {
        w.row(
            PDType1Font.HELVETICA,
            l.kind() + "  " + l.description(),
            plain(l.quantity()),
            plain(l.unitPrice()),
            plain(l.amount()));
      }
      w.gap();
      w.row(PDType1Font.HELVETICA, "Subtotal", "", "", plain(invoice.subtotal()));
      w.row(
          PDType1Font.HELVETICA,
          "Tax ("
              + plain(invoice.taxRate().multiply(BigDecimal.valueOf(100)).stripTrailingZeros())
              + " %)",
          "",
          "",
          plain(invoice.tax()));
      w.row(
          PDType1Font.HELVETICA_BOLD,
          "Total " + invoice.currency(),
          "",
          "",
          plain(invoice.total()));
      w.close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String title(Invoice invoice) {
    return invoice.number() == null ? "Draft invoice" : "Invoice " + invoice.number();
  }

  private static String plain(BigDecimal v) {
    return v == null ? "" : v.toPlainString();
  }

  /** Writes lines top-down, starting a new page when one is full. */
  private static final class Writer {
    private final PDDocument doc;
    private PDPageContentStream out;
    private float y;

    Writer(PDDocument doc) throws IOException {
      this.doc = doc;
      page();
    }

    private void page() throws IOException {
      if (out != null) {
        out.close();
      }
      PDPage p = new PDPage(PDRectangle.A4);
      doc.addPage(p);
      out = new PDPageContentStream(doc, p);
      y = p.getMediaBox().getHeight() - MARGIN;
    }

    void gap() {
      y -= ROW / 2;
    }

    void text(PDFont font, float size, String s) throws IOException {
      for (String part : wrap(safe(s), 95)) {
        at(font, size, MARGIN, part);
        y -= ROW;
      }
    }

    void row(PDFont font, String description, String qty, String unit, String amount)
        throws IOException {
      List<String> parts = wrap(safe(description), 60);
      for (int i = 0; i < parts.size(); i++) {
        at(font, 10, MARGIN, parts.get(i));
        if (i == 0) {
          right(font, 10, 390, qty);
          right(font, 10, 470, unit);
          right(font, 10, 545, amount);
        }
        y -= ROW;
      }
    }

    private void right(PDFont font, float size, float x, String s) throws IOException {
      String t = safe(s);
      at(font, size, x - font.getStringWidth(t) / 1000 * size, t);
    }

    private void at(PDFont font, float size, float x, String s) throws IOException {
      if (y < MARGIN) {
        page();
      }
      out.beginText();
      out.setFont(font, size);
      out.newLineAtOffset(x, y);
      out.showText(s);
      out.endText();
    }

    void close() throws IOException {
      out.close();
    }
  }

  /** Only what the standard fonts can show (WinAnsi); anything else becomes '?'. */
  static String safe(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f || c >= 0xa0 && c <= 0xff ? c : c == '\t' ? ' ' : '?');
    }
    return b.toString();
  }

  private static List<String> wrap(String s, int width) {
    List<String> out = new ArrayList<>();
    String rest = s;
    while (rest.length() > width) {
      int cut = rest.lastIndexOf(' ', width);
      cut = cut <= 0 ? width : cut;
      out.add(rest.substring(0, cut));
      rest = rest.substring(cut).stripLeading();
    }
    out.add(rest);
    return out;
  }
}
