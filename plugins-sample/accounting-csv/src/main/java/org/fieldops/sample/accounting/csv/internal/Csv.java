package org.fieldops.sample.accounting.csv.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: records end with CRLF; a field is quoted when it holds a comma, a double quote, CR
 * or LF, and a double quote inside a quoted field is doubled. The parser reads what the writer
 * writes (and any RFC 4180 text, with LF-only line ends tolerated).
 */
final class Csv {
  static final String CRLF = "\r\n";

  private Csv() {}

  /** One record, CRLF included. */
  static String record(List<String> fields) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(field(fields.get(i)));
    }
    return out.append(CRLF).toString();
  }

  static String field(String value) {
    if (value == null) {
      return "";
    }
    boolean quote =
        value.indexOf(',') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\r') >= 0
            || value.indexOf('\n') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }

  /**
   * The records of a CSV text.
   *
   * @throws IllegalArgumentException on a quote left open or text after a closing quote
   */
  static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = text.length();
    boolean atRecordStart = true;
    while (i < n) {
      char c = text.charAt(i);
      atRecordStart = false;
      if (c == '"' && field.length() == 0) {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("quote not closed");
          }
          char q = text.charAt(i++);
          if (q == '"') {
            if (i < n && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(q);
          }
        }
        if (i < n && ",\r\n".indexOf(text.charAt(i)) < 0) {
          throw new IllegalArgumentException("text after a closing quote at " + i);
        }
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        i++;
      } else if (c == '\r' || c == '\n') {
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        record = new ArrayList<>();
        atRecordStart = true;
        i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
      } else {
        field.append(c);
        i++;
      }
    }
    if (!atRecordStart) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }
}
