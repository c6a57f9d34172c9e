package org.fieldops.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Part 3's data: bulk-inserts a haystack of jobs by JDBC into the server's (stopped) Derby
 * database, with what the server would have written for them: customers, sites with one unit of
 * equipment each, technicians, and per job its {@code FO_JOB} row, {@code FO_JOB_TECHNICIAN} and
 * {@code FO_JOB_EQUIPMENT} rows, its change-log rows ({@code FO_CHANGE}, stamped, and {@code
 * FO_CHANGE_TECHNICIAN}) and, for finished jobs, one note line ({@code FO_JOB_LINE}, read by the
 * packet's equipment history).
 *
 * <p>Shape: {@code --technicians} (200) each do {@code --jobs-per-day} (5) jobs a day, so the
 * haystack covers jobs / 1000 days, 90 % of them in the past (finished: COMPLETED, INVOICED,
 * CLOSED, a few CANCELLED), today, and the rest in the future (DISPATCHED); one site (with one unit
 * of equipment) per {@code --jobs-per-site} (10) jobs, so equipment history is the same at every
 * size. The first technician is the needle: the bench links a user to it and gives it its jobs of
 * today over the API; it has the same history as everyone else. Columns are written by name from
 * the database's metadata: a NOT NULL column this generator does not know (a new migration) stops
 * it with a message; a nullable one is left NULL and reported.
 */
final class Haystack {
  private final Args args;
  private final Random random = new Random(42);
  private long lastIdMillis;
  private int idCounter;

  Haystack(Args args) {
    this.args = args;
  }

  void run() throws Exception {
    Path dir = Path.of(args.require("db"));
    int jobs = args.getInt("jobs", 10_000);
    int technicians = args.getInt("technicians", 200);
    int perDay = args.getInt("jobs-per-day", 5);
    int perSite = args.getInt("jobs-per-site", 10);
    Path out = Path.of(args.get("out", "target/results/haystack.json"));
    // one day more than N jobs need: room for the needle's slots, which stay empty from today on
    int days = (int) Math.ceil(jobs / (double) (technicians * perDay)) + 1;
    int futureDays = Math.max(1, days / 10);
    int pastDays = days - futureDays - 1;
    int sites = Math.max(100, (int) Math.ceil(jobs / (double) perSite));
    int customers = Math.max(20, sites / 5);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    long t0 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "haystack: %d jobs by %d technicians (%d a day each) over %d days (%d past, today, %d"
            + " future); %d customers, %d sites with one unit of equipment each%n",
        jobs,
        technicians,
        perDay,
        days,
        pastDays,
        futureDays,
        customers,
        sites);

    Map<String, Long> counts = new LinkedHashMap<>();
    ObjectNode result = Api.JSON.createObjectNode();
    try (Connection c = Db.open(dir, false)) {
      c.setAutoCommit(false);
      if (Db.count(c, "SELECT COUNT(*) FROM FO_JOB") > 0) {
        throw new IllegalStateException(
            "the database already has jobs: the haystack goes into a fresh server's database");
      }
      long cursor = Db.count(c, "SELECT COALESCE(MAX(CURSOR_NO), 0) FROM FO_CHANGE");
      Writers w = new Writers(c, counts);
      Instant created = today.minusDays(pastDays + 30L).atStartOfDay(ZoneOffset.UTC).toInstant();

      String[] customerIds = new String[customers];
      for (int i = 0; i < customers; i++) {
        customerIds[i] = id(created);
        w.row(
            "FO_CUSTOMER",
            Map.of(
                "ID",
                customerIds[i],
                "NAME",
                "Customer " + i + " Facilities",
                "BILLING_ADDRESS",
                i + " Commerce Street, Springfield",
                "CONTACT",
                "accounts" + i + "@example.com",
                "TAX_RATE",
                new BigDecimal("0.070000"),
                "CURRENCY",
                "USD"),
            created);
      }
      String[] siteIds = new String[sites];
      String[] siteCustomer = new String[sites];
      String[] equipmentIds = new String[sites];
      for (int i = 0; i < sites; i++) {
        siteIds[i] = id(created);
        siteCustomer[i] = customerIds[i % customers];
        Map<String, Object> site = new HashMap<>();
        site.put("ID", siteIds[i]);
        site.put("CUSTOMER_ID", siteCustomer[i]);
        site.put("ADDRESS", (i % 900 + 1) + " Haystack Road, Unit " + i + ", Springfield");
        site.put("LATITUDE", 39.7 + random.nextDouble());
        site.put("LONGITUDE", -89.6 + random.nextDouble());
        site.put("ACCESS_NOTES", "Ring at the loading dock; ask for facilities.");
        w.row("FO_SITE", site, created);
        equipmentIds[i] = id(created);
        Map<String, Object> eq = new HashMap<>();
        eq.put("ID", equipmentIds[i]);
        eq.put("SITE_ID", siteIds[i]);
        eq.put("TYPE", i % 3 == 0 ? "plumbing.pump" : "hvac.rooftop");
        eq.put("MAKE", i % 3 == 0 ? "Grundfos" : "Carrier");
        eq.put("MODEL", i % 3 == 0 ? "CR5" : "48TC");
        eq.put("SERIAL_NUMBER", "SN-" + (1_000_000 + i));
        eq.put("INSTALLED_ON", java.sql.Date.valueOf(today.minusYears(5)));
        w.row("FO_EQUIPMENT", eq, created);
        w.flushIfFull();
      }
      String[] techIds = new String[technicians];
      for (int i = 0; i < technicians; i++) {
        techIds[i] = id(created);
        Map<String, Object> t = new HashMap<>();
        t.put("ID", techIds[i]);
        t.put("NAME", i == 0 ? "Needle Technician" : "Haystack Technician " + i);
        t.put("SKILLS", "hvac,plumbing");
        t.put("ACTIVE", true);
        w.row("FO_TECHNICIAN", t, created);
      }
      w.flush();
      c.commit();

      // jobs, day by day, technician by technician
      int made = 0;
      int site = 0;
      List<String> otherTodayJobs = new ArrayList<>();
      dayLoop:
      for (int d = -pastDays; d <= futureDays; d++) {
        LocalDate day = today.plusDays(d);
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        for (int t = 0; t < technicians; t++) {
          for (int k = 0; k < perDay; k++) {
            if (made >= jobs) {
              break dayLoop;
            }
            if (d >= 0 && t == 0) {
              // the needle's day comes over the API; no future jobs either, so its day is its 30
              // jobs even if the run crosses midnight
              continue;
            }
            String jobId =
                job(
                    w,
                    dayStart,
                    d,
                    k,
                    techIds[t],
                    siteIds[site],
                    siteCustomer[site],
                    equipmentIds[site],
                    ++cursor);
            cursor += d < 0 ? 2 : 1; // job() used cursor .. cursor + 2 (past) or + 1
            if (d == 0 && otherTodayJobs.size() < 200) {
              otherTodayJobs.add(jobId);
            }
            site = (site + 1 + random.nextInt(7)) % sites;
            made++;
            w.flushIfFull();
            if (made % 50_000 == 0) {
              w.flush();
              c.commit();
              System.out.printf(
                  Locale.ROOT, "  %d jobs (%.0f s)%n", made, (System.nanoTime() - t0) / 1e9);
            }
          }
        }
      }
      w.flush();
      c.commit();
      w.close();
      w.reportUnknownColumns();

      result.put("needleTechnicianId", techIds[0]);
      result.put("jobs", made);
      result.put("days", days);
      result.put("technicians", technicians);
      result.put("head", cursor);
      // sites for the needle's jobs of today: spread over the haystack, each with its history
      ArrayNode needleSites = result.putArray("needleSites");
      for (int i = 0; i < 60; i++) {
        int s = (int) ((long) i * sites / 60);
        ObjectNode n = needleSites.addObject();
        n.put("siteId", siteIds[s]);
        n.put("customerId", siteCustomer[s]);
        n.put("equipmentId", equipmentIds[s]);
      }
      ArrayNode others = result.putArray("otherJobsToday");
      otherTodayJobs.forEach(others::add);
    } finally {
      Db.shutdown(dir);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long rows = counts.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        Locale.ROOT,
        "haystack written in %.0f s: %d rows (%.0f rows/s) %s%n",
        seconds,
        rows,
        rows / seconds,
        counts);
    result.put("seconds", seconds);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
  }

  /**
   * One job and its rows; change rows get cursors {@code cursor}, {@code cursor + 1} (and {@code +
   * 2} for a past job).
   */
  private String job(
      Writers w,
      Instant dayStart,
      int day,
      int k,
      String tech,
      String siteId,
      String customerId,
      String equipmentId,
      long cursor) {
    Instant slotStart = dayStart.plus(8 * 60 + k * 105L, ChronoUnit.MINUTES);
    Instant slotEnd = slotStart.plus(90, ChronoUnit.MINUTES);
    Instant created = dayStart.minus(3 + random.nextInt(10), ChronoUnit.DAYS).plusSeconds(k * 60L);
    Instant assigned = created.plus(2, ChronoUnit.HOURS);
    String status;
    if (day < 0) {
      int roll = random.nextInt(100);
      status =
          roll < 4
              ? "CANCELLED"
              : day < -30 ? "CLOSED" : day < -7 ? (roll < 50 ? "INVOICED" : "CLOSED") : "COMPLETED";
    } else {
      status = "DISPATCHED";
    }
    boolean past = day < 0;
    long version = past ? 3 : 2;
    Instant updated = past ? slotEnd : assigned;
    String jobId = id(created);
    Map<String, Object> job = new HashMap<>();
    job.put("ID", jobId);
    job.put("CUSTOMER_ID", customerId);
    job.put("SITE_ID", siteId);
    job.put("TITLE", (k % 2 == 0 ? "Quarterly maintenance" : "No cooling call-out") + " #" + k);
    job.put("DESCRIPTION", "Generated by the FieldOps bench (haystack).");
    job.put("JOB_TYPE", k % 2 == 0 ? "hvac.maintenance" : "hvac.repair");
    job.put("PRIORITY", k % 5 == 0 ? "HIGH" : "NORMAL");
    job.put("WINDOW_START", ts(dayStart.plus(7, ChronoUnit.HOURS)));
    job.put("WINDOW_END", ts(dayStart.plus(19, ChronoUnit.HOURS)));
    job.put("ESTIMATED_MINUTES", 90);
    job.put("STATUS", status);
    job.put("SLOT_START", ts(slotStart));
    job.put("SLOT_END", ts(slotEnd));
    job.put("TECHNICIAN_IDS", tech);
    job.put("EQUIPMENT_IDS", equipmentId);
    job.put("VERSION", version);
    job.put("CHECKLISTS_FIXED", true);
    job.put("CREATED_AT", ts(created));
    job.put("CREATED_BY", "dispatcher");
    job.put("UPDATED_AT", ts(updated));
    job.put("UPDATED_BY", past ? "technician" : "dispatcher");
    w.put("FO_JOB", job);
    Map<String, Object> jt = new HashMap<>();
    jt.put("JOB_ID", jobId);
    jt.put("TECHNICIAN_ID", tech);
    jt.put("SLOT_START", ts(slotStart)); // V007
    w.put("FO_JOB_TECHNICIAN", jt);
    w.put("FO_JOB_EQUIPMENT", Map.of("JOB_ID", jobId, "EQUIPMENT_ID", equipmentId));
    // the change log: created (nobody concerned), assigned, and the final status of a past job
    change(w, jobId, 1, "NEW", null, created, cursor, null, false);
    change(w, jobId, 2, past ? "DISPATCHED" : status, tech, assigned, cursor + 1, tech, false);
    if (past) {
      change(w, jobId, 3, status, tech, slotEnd, cursor + 2, tech, "CANCELLED".equals(status));
      if (!"CANCELLED".equals(status)) {
        Map<String, Object> note = new HashMap<>();
        note.put("ID", id(slotEnd));
        note.put("JOB_ID", jobId);
        note.put("KIND", "NOTE");
        note.put("NOTE_TEXT", "Replaced filter, cleaned coils; unit running within spec.");
        note.put("TECHNICIAN_ID", tech);
        note.put("SOURCE", "FIELD");
        note.put("VOIDED", false);
        note.put("VERSION", 1L);
        note.put("CREATED_AT", ts(slotEnd));
        note.put("CREATED_BY", "technician");
        note.put("UPDATED_AT", ts(slotEnd));
        note.put("UPDATED_BY", "technician");
        w.put("FO_JOB_LINE", note);
      }
    }
    return jobId;
  }

  private void change(
      Writers w,
      String jobId,
      long version,
      String status,
      String techs,
      Instant at,
      long cursor,
      String concerned,
      boolean removed) {
    String id = id(at);
    Map<String, Object> ch = new HashMap<>();
    ch.put("ID", id);
    ch.put("CURSOR_NO", cursor);
    ch.put("JOB_ID", jobId);
    ch.put("JOB_VERSION", version);
    ch.put("STATUS", status);
    ch.put("TECHNICIAN_IDS", techs);
    ch.put("CHANGED_AT", ts(at));
    w.put("FO_CHANGE", ch);
    if (concerned != null) {
      Map<String, Object> ct = new HashMap<>();
      ct.put("CHANGE_ID", id);
      ct.put("TECHNICIAN_ID", concerned);
      ct.put("REMOVED", removed);
      ct.put("CURSOR_NO", cursor); // V007
      w.put("FO_CHANGE_TECHNICIAN", ct);
    }
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }

  /** A time-ordered id in the store's layout (UUID version 7) at {@code at}. */
  private String id(Instant at) {
    long millis = at.toEpochMilli();
    if (millis == lastIdMillis) {
      idCounter++;
    } else {
      lastIdMillis = millis;
      idCounter = random.nextInt(1024);
    }
    long high = (millis << 16) | 0x7000L | (idCounter & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /**
   * Batched inserts per table, by column name; parents are flushed before children so the foreign
   * keys hold.
   */
  private static final class Writers implements AutoCloseable {
    private static final int BATCH = 2000;
    private static final List<String> ORDER =
        List.of(
            "FO_CUSTOMER",
            "FO_SITE",
            "FO_EQUIPMENT",
            "FO_TECHNICIAN",
            "FO_JOB",
            "FO_JOB_TECHNICIAN",
            "FO_JOB_EQUIPMENT",
            "FO_CHANGE",
            "FO_CHANGE_TECHNICIAN",
            "FO_JOB_LINE");

    private final Connection c;
    private final Map<String, Long> counts;
    private final Map<String, Db.Table> tables = new HashMap<>();
    private final Map<String, PreparedStatement> inserts = new HashMap<>();
    private final Map<String, Integer> pending = new HashMap<>();
    private final Map<String, List<String>> unknownNullable = new LinkedHashMap<>();

    Writers(Connection c, Map<String, Long> counts) throws SQLException {
      this.c = c;
      this.counts = counts;
      Map<String, Db.Table> all = Db.byName(Db.tables(c));
      Map<String, Set<String>> withDefault = defaults(c);
      for (String name : ORDER) {
        Db.Table t = all.get(name);
        if (t == null) {
          throw new IllegalStateException("the database has no table " + name);
        }
        tables.put(name, t);
        inserts.put(name, c.prepareStatement(t.insertSql()));
        pending.put(name, 0);
        counts.put(name, 0L);
        for (int i = 0; i < t.columns().size(); i++) {
          String col = t.columns().get(i);
          if (!known(name).contains(col)) {
            if (!t.nullable().get(i) && !withDefault.getOrDefault(name, Set.of()).contains(col)) {
              throw new IllegalStateException(
                  name
                      + "."
                      + col
                      + " is NOT NULL without a default and unknown to the haystack generator"
                      + " (a new migration?): teach bench/…/Haystack.java to fill it");
            }
            unknownNullable.computeIfAbsent(name, k -> new ArrayList<>()).add(col);
          }
        }
      }
    }

    /** The columns the generator fills, per table. */
    private static Set<String> known(String table) {
      return switch (table) {
        case "FO_CUSTOMER" ->
            Set.of(
                "ID",
                "NAME",
                "BILLING_ADDRESS",
                "CONTACT",
                "TAX_RATE",
                "CURRENCY",
                "VERSION",
                "CREATED_AT",
                "CREATED_BY",
                "UPDATED_AT",
                "UPDATED_BY");
        case "FO_SITE" ->
            Set.of(
                "ID",
                "CUSTOMER_ID",
                "ADDRESS",
                "LATITUDE",
                "LONGITUDE",
                "ACCESS_NOTES",
                "VERSION",
                "CREATED_AT",
                "CREATED_BY",
                "UPDATED_AT",
                "UPDATED_BY");
        case "FO_EQUIPMENT" ->
            Set.of(
                "ID",
                "SITE_ID",
                "TYPE",
                "MAKE",
                "MODEL",
                "SERIAL_NUMBER",
                "INSTALLED_ON",
                "VERSION",
                "CREATED_AT",
                "CREATED_BY",
                "UPDATED_AT",
                "UPDATED_BY");
        case "FO_TECHNICIAN" ->
            Set.of(
                "ID",
                "NAME",
                "USERNAME",
                "SKILLS",
                "ACTIVE",
                "VERSION",
                "CREATED_AT",
                "CREATED_BY",
                "UPDATED_AT",
                "UPDATED_BY");
        case "FO_JOB" ->
            Set.of(
                "ID",
                "CUSTOMER_ID",
                "SITE_ID",
                "TITLE",
                "DESCRIPTION",
                "JOB_TYPE",
                "PRIORITY",
                "WINDOW_START",
                "WINDOW_END",
                "ESTIMATED_MINUTES",
                "STATUS",
                "SLOT_START",
                "SLOT_END",
                "TECHNICIAN_IDS",
                "EQUIPMENT_IDS",
                "VERSION",
                "CHECKLISTS_FIXED",
                "CREATED_AT",
                "CREATED_BY",
                "UPDATED_AT",
                "UPDATED_BY");
        case "FO_JOB_TECHNICIAN" -> Set.of("JOB_ID", "TECHNICIAN_ID", "SLOT_START");
        case "FO_JOB_EQUIPMENT" -> Set.of("JOB_ID", "EQUIPMENT_ID");
        case "FO_CHANGE" ->
            Set.of(
                "ID",
                "CURSOR_NO",
                "JOB_ID",
                "JOB_VERSION",
                "STATUS",
                "TECHNICIAN_IDS",
                "CHANGED_AT");
        case "FO_CHANGE_TECHNICIAN" -> Set.of("CHANGE_ID", "TECHNICIAN_ID", "REMOVED", "CURSOR_NO");
        case "FO_JOB_LINE" ->
            Set.of(
                "ID",
                "JOB_ID",
                "KIND",
                "CODE",
                "DESCRIPTION",
                "QUANTITY",
                "STARTED_AT",
                "ENDED_AT",
                "UNIT_PRICE",
                "CURRENCY",
                "NOTE_TEXT",
                "TECHNICIAN_ID",
                "SOURCE",
                "VOIDED",
                "VERSION",
                "CREATED_AT",
                "CREATED_BY",
                "UPDATED_AT",
                "UPDATED_BY");
        default -> Set.of();
      };
    }

    private static Map<String, Set<String>> defaults(Connection c) throws SQLException {
      Map<String, Set<String>> out = new HashMap<>();
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getColumns(null, "APP", "FO_%", "%")) {
        while (rs.next()) {
          if (rs.getString("COLUMN_DEF") != null) {
            out.computeIfAbsent(rs.getString("TABLE_NAME"), k -> new java.util.HashSet<>())
                .add(rs.getString("COLUMN_NAME"));
          }
        }
      }
      return out;
    }

    /** A master-data row, stamped as created and updated at {@code at} by the bench. */
    void row(String table, Map<String, Object> values, Instant at) throws SQLException {
      Map<String, Object> v = new HashMap<>(values);
      v.put("VERSION", 1L);
      v.put("CREATED_AT", ts(at));
      v.put("CREATED_BY", "bench");
      v.put("UPDATED_AT", ts(at));
      v.put("UPDATED_BY", "bench");
      put(table, v);
    }

    void put(String table, Map<String, Object> values) {
      Db.Table t = tables.get(table);
      Object[] row = new Object[t.columns().size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = values.get(t.columns().get(i));
      }
      // a value for a column this database does not have (an older schema) is simply not written
      try {
        PreparedStatement p = inserts.get(table);
        t.bind(p, row);
        p.addBatch();
      } catch (SQLException e) {
        throw new IllegalStateException(table + ": " + e.getMessage(), e);
      }
      pending.merge(table, 1, Integer::sum);
      counts.merge(table, 1L, Long::sum);
    }

    void flushIfFull() throws SQLException {
      if (pending.values().stream().anyMatch(n -> n >= BATCH)) {
        flush();
      }
    }

    void flush() throws SQLException {
      for (String name : ORDER) {
        if (pending.get(name) > 0) {
          inserts.get(name).executeBatch();
          pending.put(name, 0);
        }
      }
    }

    void reportUnknownColumns() {
      if (!unknownNullable.isEmpty()) {
        System.out.println(
            "note: columns left NULL (unknown to the generator, nullable): " + unknownNullable);
      }
    }

    @Override
    public void close() throws SQLException {
      for (PreparedStatement p : inserts.values()) {
        p.close();
      }
    }
  }
}
