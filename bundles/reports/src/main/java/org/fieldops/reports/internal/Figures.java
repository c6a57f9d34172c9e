package org.fieldops.reports.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The reports' SQL: every figure is an aggregate the database computes over an index range of facts
 * (status moves, lines, invoices, uploads, events); Java only merges the grouped rows. The grouping
 * expression for each {@code groupBy} is given per query.
 */
final class Figures {
  /** Completed jobs (their last completion) inside the range: alias C. */
  private static final String COMPLETED_JOBS =
      " FROM FO_JOB_COMPLETION C WHERE C.COMPLETED_AT >= ?1 AND C.COMPLETED_AT < ?2";

  /** Groupings over completed jobs. */
  private static final Map<String, String> BY_COMPLETION =
      Map.of(
          "technician", "C.TECHNICIAN_ID",
          "customer", "C.CUSTOMER_ID",
          "jobType", "C.JOB_TYPE",
          "job", "C.JOB_ID");

  private Figures() {}

  static Table jobStatus(Grouping g) {
    Table t = new Table();
    Map<String, String> keys =
        Map.of(
            "technician", "JT.TECHNICIAN_ID",
            "customer", "J.CUSTOMER_ID",
            "jobType", "J.JOB_TYPE");
    String join =
        "technician".equals(g.groupBy())
            ? " LEFT JOIN FO_JOB_TECHNICIAN JT ON JT.JOB_ID = J.ID"
            : "";
    // planned by slot; without a slot, by window
    g.run(
        "SELECT {key}, J.STATUS, COUNT(*) FROM FO_JOB J"
            + join
            + " WHERE J.SLOT_START >= ?1 AND J.SLOT_START < ?2 {group}",
        keys,
        "J.SLOT_START",
        "J.STATUS",
        r -> t.add((String) r[0], Grouping.key(r[1]), r[2]));
    g.run(
        "SELECT {key}, J.STATUS, COUNT(*) FROM FO_JOB J"
            + join
            + " WHERE J.SLOT_START IS NULL AND J.WINDOW_START >= ?1 AND J.WINDOW_START < ?2"
            + " {group}",
        keys,
        "J.WINDOW_START",
        "J.STATUS",
        r -> t.add((String) r[0], Grouping.key(r[1]), r[2]));
    return t;
  }

  static Table completions(Grouping g) {
    Table t = new Table();
    g.run(
        "SELECT {key}, COUNT(*), SUM(C.WITH_EQUIPMENT),"
            + " SUM(CASE WHEN C.WITH_EQUIPMENT = 1 AND C.REVISIT_JOB_ID IS NULL THEN 1 ELSE 0 END)"
            + COMPLETED_JOBS
            + " {group}",
        BY_COMPLETION,
        "C.COMPLETED_AT",
        r -> {
          t.add((String) r[0], "completed", r[1]);
          t.add((String) r[0], "withEquipment", r[2]);
          t.add((String) r[0], "firstTimeFixed", r[3]);
        });
    return t;
  }

  static Table jobTimes(Grouping g) {
    Table t = new Table();
    g.run(
        "SELECT {key}, COUNT(*), SUM(C.TRAVELLED), SUM(C.TRAVEL_SECONDS), SUM(C.ON_SITE_SECONDS),"
            + " SUM(CASE WHEN C.ARRIVAL IS NULL THEN 0 ELSE 1 END),"
            + " SUM(CASE WHEN C.ARRIVAL = 'EARLY' THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN C.ARRIVAL = 'LATE' THEN 1 ELSE 0 END)"
            + COMPLETED_JOBS
            + " {group}",
        BY_COMPLETION,
        "C.COMPLETED_AT",
        r -> {
          String key = (String) r[0];
          t.add(key, "jobs", r[1]);
          t.add(key, "travelled", r[2]);
          t.add(key, "travelSeconds", r[3]);
          t.add(key, "onSiteSeconds", r[4]);
          t.add(key, "arrivals", r[5]);
          t.add(key, "early", r[6]);
          t.add(key, "late", r[7]);
        });
    return t;
  }

  /** Rows keyed by group and SKU and currency: "group\u0000sku\u0000currency". */
  static Table parts(Grouping g) {
    Table t = new Table();
    Map<String, String> keys =
        Map.of(
            "sku", "L.CODE",
            "technician", "L.TECHNICIAN_ID",
            "customer", "J.CUSTOMER_ID",
            "jobType", "J.JOB_TYPE");
    g.run(
        "SELECT {key}, L.CODE, L.CURRENCY, MAX(L.DESCRIPTION), SUM(L.QUANTITY),"
            + " SUM(L.QUANTITY * L.UNIT_PRICE)"
            + " FROM FO_JOB_LINE L"
            + (g.groupBy().equals("customer") || g.groupBy().equals("jobType")
                ? " JOIN FO_JOB J ON J.ID = L.JOB_ID"
                : "")
            + " WHERE L.KIND = 'PART' AND L.CREATED_AT >= ?1 AND L.CREATED_AT < ?2"
            + " AND L.VOIDED = FALSE {group}",
        keys,
        "L.CREATED_AT",
        "L.CODE, L.CURRENCY",
        r -> {
          String key = r[0] + "\u0000" + Grouping.key(r[1]) + "\u0000" + Grouping.key(r[2]);
          t.set(key, "sku", Grouping.key(r[1]));
          t.set(key, "currency", Grouping.key(r[2]));
          t.set(key, "name", r[3] == null ? "" : r[3].toString());
          t.add(key, "quantity", r[4]);
          t.add(key, "value", r[5]);
        });
    return t;
  }

  static Table labor(Grouping g) {
    Table t = new Table();
    Map<String, String> keys =
        Map.of(
            "technician", "L.TECHNICIAN_ID",
            "customer", "C.CUSTOMER_ID",
            "jobType", "C.JOB_TYPE");
    g.run(
        "SELECT {key}, SUM(L.QUANTITY) FROM FO_JOB_COMPLETION C"
            + " JOIN FO_JOB_LINE L ON L.JOB_ID = C.JOB_ID AND L.KIND = 'LABOR' AND L.VOIDED = FALSE"
            + " WHERE C.COMPLETED_AT >= ?1 AND C.COMPLETED_AT < ?2 {group}",
        keys,
        "C.COMPLETED_AT",
        r -> t.add((String) r[0], "loggedHours", r[1]));
    g.run(
        "SELECT {key}, SUM(IL.QUANTITY) FROM FO_JOB_COMPLETION C"
            + " JOIN FO_INVOICE I ON I.JOB_ID = C.JOB_ID AND I.STATUS <> 'VOID'"
            + " JOIN FO_INVOICE_LINE IL ON IL.INVOICE_ID = I.ID AND IL.KIND = 'LABOR'"
            + " LEFT JOIN FO_JOB_LINE L ON L.ID = IL.SOURCE_LINE_ID"
            + " WHERE C.COMPLETED_AT >= ?1 AND C.COMPLETED_AT < ?2 {group}",
        keys,
        "C.COMPLETED_AT",
        r -> t.add((String) r[0], "billedHours", r[1]));
    return t;
  }

  /** Rows keyed by group and currency: "group\u0000currency". */
  static Table revenue(Grouping g) {
    Table t = new Table();
    Map<String, String> keys = Map.of("customer", "I.CUSTOMER_ID", "jobType", "J.JOB_TYPE");
    String[][] events = {
      {"CREATED_AT", "invoiced"},
      {"APPROVED_AT", "approved"},
      {"SENT_AT", "sent"},
      {"VOIDED_AT", "voided"}
    };
    for (String[] e : events) {
      String column = "I." + e[0];
      g.run(
          "SELECT {key}, I.CURRENCY, COUNT(*), SUM(I.TOTAL)"
              + " FROM FO_INVOICE I"
              + (g.groupBy().equals("jobType") ? " JOIN FO_JOB J ON J.ID = I.JOB_ID" : "")
              + " WHERE "
              + column
              + " >= ?1 AND "
              + column
              + " < ?2 {group}",
          keys,
          column,
          "I.CURRENCY",
          r -> {
            String key = r[0] + "\u0000" + Grouping.key(r[1]);
            t.set(key, "currency", Grouping.key(r[1]));
            t.add(key, e[1] + "Count", r[2]);
            t.add(key, e[1], r[3]);
          });
    }
    return t;
  }

  /** Rows keyed by group and currency; {@code now} dates the ages. */
  static Table drafts(Grouping g, Instant now) {
    Table t = new Table();
    Map<String, String> keys =
        Map.of("customer", "I.CUSTOMER_ID", "jobType", "J.JOB_TYPE", "invoice", "I.ID");
    g.run(
        "SELECT {key}, I.CURRENCY, COUNT(*), SUM(I.TOTAL), MIN(I.CREATED_AT),"
            + " SUM("
            + g.seconds("I.CREATED_AT", "CAST(?3 AS TIMESTAMP)")
            + ")"
            + " FROM FO_INVOICE I"
            + (g.groupBy().equals("jobType") ? " JOIN FO_JOB J ON J.ID = I.JOB_ID" : "")
            + " WHERE I.STATUS = 'DRAFT' AND I.CREATED_AT >= ?1 AND I.CREATED_AT < ?2"
            + " {group}",
        keys,
        "I.CREATED_AT",
        "I.CURRENCY",
        List.of(Timestamp.from(now)),
        r -> {
          String key = r[0] + "\u0000" + Grouping.key(r[1]);
          t.set(key, "currency", Grouping.key(r[1]));
          t.add(key, "drafts", r[2]);
          t.add(key, "total", r[3]);
          t.min(key, "oldestCreatedAt", Grouping.instant(r[4]));
          t.add(key, "ageSeconds", r[5]);
        });
    return t;
  }

  /** Uploads keyed by username (technician grouping) or day. */
  static Table uploads(Grouping g) {
    Table t = new Table();
    g.run(
        "SELECT {key}, COUNT(*), SUM(U.EVENTS), SUM(U.APPLIED), SUM(U.DUPLICATES),"
            + " SUM(U.IN_REVIEW), SUM(U.REJECTED)"
            + " FROM FO_UPLOAD U WHERE U.RECEIVED_AT >= ?1 AND U.RECEIVED_AT < ?2 {group}",
        Map.of("technician", "U.USERNAME"),
        "U.RECEIVED_AT",
        r -> {
          String key = (String) r[0];
          t.add(key, "uploads", r[1]);
          t.add(key, "events", r[2]);
          t.add(key, "applied", r[3]);
          t.add(key, "duplicates", r[4]);
          t.add(key, "inReview", r[5]);
          t.add(key, "rejected", r[6]);
        });
    return t;
  }

  /** Rejected events keyed by reason or username. */
  static Table rejections(Grouping g) {
    Table t = new Table();
    g.run(
        "SELECT {key}, COUNT(*), SUM(CASE WHEN E.RETRYABLE THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN E.ACK_AT IS NULL THEN 0 ELSE 1 END)"
            + " FROM FO_DEVICE_EVENT E"
            + " WHERE E.OUTCOME = 'REJECTED' AND E.RECEIVED_AT >= ?1 AND E.RECEIVED_AT < ?2"
            + " {group}",
        Map.of("reason", "E.REASON", "technician", "E.USERNAME"),
        "E.RECEIVED_AT",
        r -> {
          String key = (String) r[0];
          t.add(key, "rejected", r[1]);
          t.add(key, "retryable", r[2]);
          t.add(key, "acknowledged", r[3]);
        });
    return t;
  }
}
