package org.fieldops.reports.internal;

import java.math.BigDecimal;
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
  /** The job's last completion, inside the range (alias C, the job J). */
  static final String LAST_COMPLETION =
      "C.TO_STATUS = 'COMPLETED' AND C.AT_TIME >= ?1 AND C.AT_TIME < ?2"
          + " AND NOT EXISTS (SELECT 1 FROM FO_STATUS_FACT C2 WHERE C2.JOB_ID = C.JOB_ID"
          + " AND C2.TO_STATUS = 'COMPLETED' AND C2.AT_TIME > C.AT_TIME)";

  private static final String COMPLETED_JOBS =
      " FROM FO_STATUS_FACT C JOIN FO_JOB J ON J.ID = C.JOB_ID";

  /** Groupings over completed jobs. */
  private static final Map<String, String> BY_COMPLETION =
      Map.of(
          "technician", "C.TECHNICIAN_ID",
          "customer", "J.CUSTOMER_ID",
          "jobType", "J.JOB_TYPE",
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
    String base = "SELECT {key}, COUNT(*)" + COMPLETED_JOBS + " WHERE " + LAST_COMPLETION;
    String hasEquipment =
        " AND EXISTS (SELECT 1 FROM FO_JOB_EQUIPMENT E WHERE E.JOB_ID = C.JOB_ID)";
    g.run(
        base + " {group}",
        BY_COMPLETION,
        "C.AT_TIME",
        r -> t.add((String) r[0], "completed", r[1]));
    g.run(
        base + hasEquipment + " {group}",
        BY_COMPLETION,
        "C.AT_TIME",
        r -> t.add((String) r[0], "withEquipment", r[1]));
    g.run(
        base
            + hasEquipment
            + " AND NOT EXISTS (SELECT 1 FROM FO_JOB_EQUIPMENT E1"
            + " JOIN FO_JOB_EQUIPMENT E2 ON E2.EQUIPMENT_ID = E1.EQUIPMENT_ID"
            + " JOIN FO_JOB J2 ON J2.ID = E2.JOB_ID"
            + " WHERE E1.JOB_ID = C.JOB_ID AND J2.ID <> C.JOB_ID AND J2.STATUS <> 'CANCELLED'"
            + " AND J2.CREATED_AT > C.AT_TIME"
            + " AND J2.CREATED_AT <= {fn TIMESTAMPADD(SQL_TSI_DAY, 30, C.AT_TIME)})"
            + " {group}",
        BY_COMPLETION,
        "C.AT_TIME",
        r -> t.add((String) r[0], "firstTimeFixed", r[1]));
    return t;
  }

  static Table jobTimes(Grouping g) {
    Table t = new Table();
    g.run(
        "SELECT {key}, COUNT(*)" + COMPLETED_JOBS + " WHERE " + LAST_COMPLETION + " {group}",
        BY_COMPLETION,
        "C.AT_TIME",
        r -> t.add((String) r[0], "jobs", r[1]));
    String moves =
        COMPLETED_JOBS
            + " JOIN FO_STATUS_FACT F ON F.JOB_ID = C.JOB_ID AND F.AT_TIME <= C.AT_TIME"
            + " WHERE "
            + LAST_COMPLETION;
    String seconds = g.seconds("F.SINCE", "F.AT_TIME");
    g.run(
        "SELECT {key}, COUNT(DISTINCT F.JOB_ID), SUM("
            + seconds
            + ")"
            + moves
            + " AND F.FROM_STATUS = 'EN_ROUTE' AND F.TO_STATUS = 'ON_SITE' {group}",
        BY_COMPLETION,
        "C.AT_TIME",
        r -> {
          t.add((String) r[0], "travelled", r[1]);
          t.add((String) r[0], "travelSeconds", r[2]);
        });
    g.run(
        "SELECT {key}, SUM(" + seconds + ")" + moves + " AND F.FROM_STATUS = 'ON_SITE' {group}",
        BY_COMPLETION,
        "C.AT_TIME",
        r -> t.add((String) r[0], "onSiteSeconds", r[1]));
    // the first arrival of each job against the slot it had then
    g.run(
        "SELECT {key}, COUNT(*),"
            + " SUM(CASE WHEN F.AT_TIME < F.SLOT_START THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN F.AT_TIME > F.SLOT_END THEN 1 ELSE 0 END)"
            + moves
            + " AND F.TO_STATUS = 'ON_SITE' AND F.SLOT_START IS NOT NULL AND F.SLOT_END IS NOT NULL"
            + " AND NOT EXISTS (SELECT 1 FROM FO_STATUS_FACT F2 WHERE F2.JOB_ID = F.JOB_ID"
            + " AND F2.TO_STATUS = 'ON_SITE' AND F2.AT_TIME < F.AT_TIME) {group}",
        BY_COMPLETION,
        "C.AT_TIME",
        r -> {
          t.add((String) r[0], "arrivals", r[1]);
          t.add((String) r[0], "early", r[2]);
          t.add((String) r[0], "late", r[3]);
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
            + " FROM FO_JOB_LINE L JOIN FO_JOB J ON J.ID = L.JOB_ID"
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
            "technician", "L.TECHNICIAN_ID", "customer", "J.CUSTOMER_ID", "jobType", "J.JOB_TYPE");
    g.run(
        "SELECT {key}, SUM(L.QUANTITY)"
            + COMPLETED_JOBS
            + " JOIN FO_JOB_LINE L ON L.JOB_ID = C.JOB_ID AND L.KIND = 'LABOR' AND L.VOIDED = FALSE"
            + " WHERE "
            + LAST_COMPLETION
            + " {group}",
        keys,
        "C.AT_TIME",
        r -> t.add((String) r[0], "loggedHours", r[1]));
    g.run(
        "SELECT {key}, SUM(IL.QUANTITY)"
            + COMPLETED_JOBS
            + " JOIN FO_INVOICE I ON I.JOB_ID = C.JOB_ID AND I.STATUS <> 'VOID'"
            + " JOIN FO_INVOICE_LINE IL ON IL.INVOICE_ID = I.ID AND IL.KIND = 'LABOR'"
            + " LEFT JOIN FO_JOB_LINE L ON L.ID = IL.SOURCE_LINE_ID"
            + " WHERE "
            + LAST_COMPLETION
            + " {group}",
        keys,
        "C.AT_TIME",
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
              + " FROM FO_INVOICE I JOIN FO_JOB J ON J.ID = I.JOB_ID"
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
            + " FROM FO_INVOICE I JOIN FO_JOB J ON J.ID = I.JOB_ID"
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

  static BigDecimal zero() {
    return BigDecimal.ZERO;
  }
}
