package org.fieldops.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The reports benchmark's data: a year of field work bulk-inserted by JDBC into the server's
 * (stopped) Derby database, shaped like what the server writes for it. {@code --technicians} (200)
 * technicians, each with a login and a phone, do {@code --jobs-per-day} (4) jobs every working day
 * (Monday to Friday) of the {@code --days} (365) days before {@code --end} (today, UTC) at the
 * equipment of {@code --customers} (40) customers (each with {@code --sites-per-customer} sites of
 * 1 to 9 units).
 *
 * <p>Per job: {@code FO_JOB}, {@code FO_JOB_TECHNICIAN}, {@code FO_JOB_EQUIPMENT}; its status moves
 * in {@code FO_STATUS_FACT} as {@code JobRecorder} writes them (time-ordered id, from, to, the
 * server's time, {@code SINCE} = the previous move's time or the job's creation, the technician,
 * the slot): NEW → DISPATCHED (office), DISPATCHED → EN_ROUTE → ON_SITE (→ PAUSED → ON_SITE) →
 * COMPLETED (the technician's uploads), COMPLETED → INVOICED → CLOSED (invoice approved, sent); a
 * few are cancelled or held by the office, a few re-opened after completion and completed again;
 * about one in twelve is a re-visit of equipment a recent job worked on. Lines ({@code
 * FO_JOB_LINE}: labor in hours, parts by SKU, notes) and the invoice ({@code FO_INVOICE} with its
 * {@code FO_INVOICE_LINE}s: most approved and sent, recent ones and a few older ones still DRAFT, a
 * few VOID and replaced). Per technician a device ({@code FO_DEVICE}); its uploads ({@code
 * FO_UPLOAD}: about 10 a day, an upload after most status moves, a few repeated as duplicates) and
 * one {@code FO_DEVICE_EVENT} per event (a few % REJECTED with reasons, a few held for review with
 * their {@code FO_REVIEW}, some still OPEN). The audit trail and the change log are not written (no
 * report reads them).
 *
 * <p>Status facts, lines and events carry the time the upload reached the server (the server's
 * clock), as the server stamps them. Commits after each day once {@code --commit-rows} (5,000) rows
 * are pending (about 17,000 rows a day at 200 technicians); statistics are updated at the end (a
 * long-running server's Derby has them from its statistics daemon).
 */
final class ReportHaystack {
  /** Bump when the shape of the data changes: run.sh keys its cache with it. */
  static final String VERSION = "reports-1";

  private static final String[] JOB_TYPES = {
    "hvac.maintenance", "hvac.repair", "plumbing.maintenance", "plumbing.repair", "electrical.check"
  };
  private static final String[] REASONS = {
    "ILLEGAL_TRANSITION",
    "UNKNOWN_CODE",
    "CHECKLIST_INCOMPLETE",
    "INVALID_DATA",
    "NOT_ASSIGNED",
    "MEDIA_MISSING",
    "OFFICE_OWNED_FIELD"
  };
  private static final int[] REASON_WEIGHTS = {30, 20, 18, 12, 8, 8, 4};
  private static final int SKUS = 60;

  private final Args args;
  private final Random random = new Random(20261126);
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private long lastIdMillis;
  private int idCounter;
  private int invoiceNo;

  ReportHaystack(Args args) {
    this.args = args;
  }

  /** A unit of equipment, with its site and customer. */
  private record Unit(String id, String siteId, String customerId) {}

  /** One event of a technician's phone: when it happened and what it did once applied. */
  private static final class Event {
    final Instant occurred;
    final String type;
    final String jobId;
    final List<Map<String, Object>> rows = new ArrayList<>(); // facts and lines, stamped on apply
    String outcome = "APPLIED";
    String reason;
    Instant received;

    Event(Instant occurred, String type, String jobId) {
      this.occurred = occurred;
      this.type = type;
      this.jobId = jobId;
    }
  }

  /** A job's moves so far: the last move's time is the next one's SINCE. */
  private final class Job {
    final String id;
    final String tech;
    final Instant created;
    final Timestamp slotStart;
    final Timestamp slotEnd;
    final List<Map<String, Object>> lines = new ArrayList<>();
    Instant last;
    Instant completedAt;
    String status = "NEW";
    long version = 1;

    Job(String id, String tech, Instant created, Instant slotStart, Instant slotEnd) {
      this.id = id;
      this.tech = tech;
      this.created = created;
      this.slotStart = Timestamp.from(slotStart);
      this.slotEnd = Timestamp.from(slotEnd);
      this.last = created;
    }

    /** A move at a fixed time (office, billing), written now. */
    void move(Rows w, String to, Instant at, String actor) {
      w.put("FO_STATUS_FACT", fact(to, at, actor));
    }

    /** A move's fact with its time left open (stamped when its upload is applied). */
    Map<String, Object> fact(String to, Instant at, String actor) {
      Map<String, Object> f = new HashMap<>();
      f.put("JOB_ID", id);
      f.put("FROM_STATUS", status);
      f.put("TO_STATUS", to);
      f.put("TECHNICIAN_ID", tech);
      f.put("ACTOR", actor);
      f.put("SLOT_START", slotStart);
      f.put("SLOT_END", slotEnd);
      if (at != null) {
        stamp(f, at);
      }
      status = to;
      version++;
      return f;
    }

    void stamp(Map<String, Object> f, Instant at) {
      f.put("ID", id(at));
      f.put("AT_TIME", Timestamp.from(at));
      f.put("SINCE", Timestamp.from(last.isAfter(at) ? at : last));
      last = at;
    }
  }

  void run() throws Exception {
    Path dir = Path.of(args.require("db"));
    int technicians = args.getInt("technicians", 200);
    int days = args.getInt("days", 365);
    int perDay = args.getInt("jobs-per-day", 4);
    int customers = args.getInt("customers", 40);
    int sitesPerCustomer = args.getInt("sites-per-customer", 150);
    int commitRows = args.getInt("commit-rows", 5000);
    LocalDate end = LocalDate.parse(args.get("end", LocalDate.now(ZoneOffset.UTC).toString()));
    LocalDate first = end.minusDays(days);
    Instant now = end.atStartOfDay(ZoneOffset.UTC).toInstant();
    Path out = Path.of(args.get("out", "target/results/report-haystack.json"));
    long t0 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "report haystack %s: %d technicians x %d jobs per working day, %s .. %s (%d days), %d"
            + " customers x %d sites%n",
        VERSION,
        technicians,
        perDay,
        first,
        end.minusDays(1),
        days,
        customers,
        sitesPerCustomer);

    try (Connection c = Db.open(dir, false)) {
      c.setAutoCommit(false);
      if (Db.count(c, "SELECT COUNT(*) FROM FO_JOB") > 0) {
        throw new IllegalStateException(
            "the database already has jobs: the report haystack goes into a fresh server's"
                + " database");
      }
      String hash;
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT PASSWORD_HASH FROM FO_USER WHERE USERNAME = 'admin'")) {
        if (!rs.next()) {
          throw new IllegalStateException("no admin user: start the server once first");
        }
        hash = rs.getString(1); // technicians never log in during the bench
      }
      Rows w = new Rows(c, counts, commitRows, t0);
      Instant setUp = first.minusDays(60).atStartOfDay(ZoneOffset.UTC).toInstant();

      // master data
      List<Unit> units = new ArrayList<>();
      for (int i = 0; i < customers; i++) {
        String customerId = id(setUp);
        w.put(
            "FO_CUSTOMER",
            stamped(
                setUp,
                "ID",
                customerId,
                "NAME",
                "Customer " + i + " Facilities",
                "BILLING_ADDRESS",
                i + " Commerce Street, Springfield",
                "CONTACT",
                "accounts" + i + "@example.com",
                "TAX_RATE",
                new BigDecimal("0.070000"),
                "CURRENCY",
                "USD"));
        for (int s = 0; s < sitesPerCustomer; s++) {
          String siteId = id(setUp);
          w.put(
              "FO_SITE",
              stamped(
                  setUp,
                  "ID",
                  siteId,
                  "CUSTOMER_ID",
                  customerId,
                  "ADDRESS",
                  (s + 1) + " Report Road, Building " + i + ", Springfield",
                  "LATITUDE",
                  39.7 + random.nextDouble(),
                  "LONGITUDE",
                  -89.6 + random.nextDouble(),
                  "ACCESS_NOTES",
                  "Ring at the loading dock."));
          int n = 1 + random.nextInt(9);
          for (int e = 0; e < n; e++) {
            String unitId = id(setUp);
            boolean pump = random.nextInt(3) == 0;
            w.put(
                "FO_EQUIPMENT",
                stamped(
                    setUp,
                    "ID",
                    unitId,
                    "SITE_ID",
                    siteId,
                    "TYPE",
                    pump ? "plumbing.pump" : "hvac.rooftop",
                    "MAKE",
                    pump ? "Grundfos" : "Carrier",
                    "MODEL",
                    pump ? "CR5" : "48TC",
                    "SERIAL_NUMBER",
                    "SN-" + (2_000_000 + units.size()),
                    "INSTALLED_ON",
                    java.sql.Date.valueOf(first.minusYears(3 + random.nextInt(8)))));
            units.add(new Unit(unitId, siteId, customerId));
          }
        }
      }
      String[] techIds = new String[technicians];
      String[] users = new String[technicians];
      for (int t = 0; t < technicians; t++) {
        users[t] = String.format(Locale.ROOT, "tech%03d", t + 1);
        Map<String, Object> u = new HashMap<>();
        u.put("USERNAME", users[t]);
        u.put("PASSWORD_HASH", hash);
        u.put("ROLES", "technician");
        u.put("DISABLED", false);
        u.put("VERSION", 1L);
        u.put("CREATED_AT", ts(setUp));
        u.put("UPDATED_AT", ts(setUp));
        u.put("UPDATED_BY", "bench");
        w.put("FO_USER", u);
        techIds[t] = id(setUp);
        w.put(
            "FO_TECHNICIAN",
            stamped(
                setUp,
                "ID",
                techIds[t],
                "NAME",
                "Report Technician " + (t + 1),
                "USERNAME",
                users[t],
                "SKILLS",
                "hvac,plumbing,electrical",
                "ACTIVE",
                true));
      }
      w.commit();
      System.out.printf(
          Locale.ROOT,
          "master data: %d customers, %d sites, %d units of equipment, %d technicians with a"
              + " login%n",
          customers,
          customers * sitesPerCustomer,
          units.size(),
          technicians);

      // units in a shuffled round: a unit comes back every few months (maintenance), and one job
      // in about twelve returns to a unit worked on in the last days (a re-visit)
      int[] order = new int[units.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int x = order[i];
        order[i] = order[j];
        order[j] = x;
      }
      int next = 0;
      ArrayDeque<Unit> recent = new ArrayDeque<>();
      long[] seq = new long[technicians];
      Instant[] lastUpload = new Instant[technicians];
      int jobs = 0;
      for (LocalDate day = first; day.isBefore(end); day = day.plusDays(1)) {
        if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
          continue;
        }
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Unit> todays = new ArrayList<>();
        for (int t = 0; t < technicians; t++) {
          List<Event> events = new ArrayList<>();
          Instant free = dayStart.plus(7 * 60 + 20 + random.nextInt(30), ChronoUnit.MINUTES);
          for (int k = 0; k < perDay; k++) {
            Unit unit;
            boolean revisit = !recent.isEmpty() && random.nextInt(12) == 0;
            if (revisit) {
              unit = recent.pollFirst();
            } else {
              unit = units.get(order[next]);
              next = (next + 1) % order.length;
            }
            todays.add(unit);
            free =
                job(w, events, techIds[t], unit, dayStart, k, free, revisit, now)
                    .plus(3 + random.nextInt(10), ChronoUnit.MINUTES);
            jobs++;
          }
          Instant last = uploads(w, events, users[t], t, seq, now);
          if (last != null) {
            lastUpload[t] = last;
          }
        }
        // a few of today's units need another visit in the coming days
        for (Unit u : todays) {
          if (random.nextInt(12) == 0) {
            recent.addLast(u);
          }
        }
        while (recent.size() > 400) {
          recent.pollFirst();
        }
        w.commitIfDue();
      }
      for (int t = 0; t < technicians; t++) {
        Map<String, Object> d = new HashMap<>();
        d.put("DEVICE_ID", device(users[t]));
        d.put("USERNAME", users[t]);
        d.put("FIRST_SEEN", ts(first.atStartOfDay(ZoneOffset.UTC).toInstant()));
        d.put("LAST_UPLOAD", lastUpload[t] == null ? null : ts(lastUpload[t]));
        d.put("LAST_SEQ", seq[t]);
        w.put("FO_DEVICE", d);
      }
      w.commit();
      w.close();
      double insertSeconds = (System.nanoTime() - t0) / 1e9;
      long rows = counts.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf(
          Locale.ROOT,
          "inserted %d rows in %.0f s (%.0f rows/s), %d jobs%n",
          rows,
          insertSeconds,
          rows / insertSeconds,
          jobs);
      long s0 = System.nanoTime();
      for (String table : counts.keySet()) {
        try (CallableStatement cs =
            c.prepareCall("CALL SYSCS_UTIL.SYSCS_UPDATE_STATISTICS('APP', ?, NULL)")) {
          cs.setString(1, table);
          cs.execute();
        }
      }
      c.commit();
      System.out.printf(
          Locale.ROOT, "index statistics updated in %.0f s%n", (System.nanoTime() - s0) / 1e9);

      double seconds = (System.nanoTime() - t0) / 1e9;
      ObjectNode result = Api.JSON.createObjectNode();
      result.put("version", VERSION);
      result.put("first", first.toString());
      result.put("last", end.minusDays(1).toString());
      result.put("technicians", technicians);
      result.put("jobs", jobs);
      result.put("customers", customers);
      result.put("units", units.size());
      result.put("rows", rows);
      result.put("seconds", seconds);
      result.put("rowsPerSecond", rows / insertSeconds);
      ObjectNode perTable = result.putObject("tables");
      counts.forEach(perTable::put);
      System.out.printf(Locale.ROOT, "report haystack written in %.0f s: %s%n", seconds, counts);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.write(out, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
    } finally {
      Db.shutdown(dir);
    }
  }

  private static String device(String user) {
    return "phone-" + user;
  }

  /**
   * One job of a technician's day, starting when the technician is free; returns when it ends.
   * Field moves and lines become the technician's events; office and billing moves are written
   * directly.
   */
  private Instant job(
      Rows w,
      List<Event> events,
      String tech,
      Unit unit,
      Instant dayStart,
      int k,
      Instant free,
      boolean revisit,
      Instant now) {
    int[] slotHours = {8, 10, 13, 15, 17, 18};
    Instant slotStart =
        dayStart.plus(slotHours[Math.min(k, slotHours.length - 1)], ChronoUnit.HOURS);
    Instant slotEnd = slotStart.plus(2, ChronoUnit.HOURS);
    Instant created =
        revisit
            ? dayStart.minus(1 + random.nextInt(20), ChronoUnit.HOURS)
            : dayStart
                .minus(1 + random.nextInt(14), ChronoUnit.DAYS)
                .plus(8 * 60 + random.nextInt(540), ChronoUnit.MINUTES);
    String jobType =
        revisit ? (random.nextBoolean() ? "hvac.repair" : "plumbing.repair") : pick(JOB_TYPES);
    String jobId = id(created);
    Job job = new Job(jobId, tech, created, slotStart, slotEnd);
    // office: created and dispatched (NEW -> DISPATCHED through the assignment)
    Instant assigned = created.plus(10 + random.nextInt(120), ChronoUnit.MINUTES);
    job.move(w, "DISPATCHED", assigned, "dispatcher");

    int roll = random.nextInt(1000);
    Instant ends = free;
    boolean completed = false;
    Instant completedAt = null;
    if (roll < 30) {
      // cancelled by the office before the visit
      job.move(w, "CANCELLED", maxOf(assigned, slotStart.minus(3, ChronoUnit.HOURS)), "dispatcher");
    } else if (roll < 45) {
      // held by the office on the day (parts on order, customer away)
      job.move(w, "ON_HOLD", slotStart.minus(30, ChronoUnit.MINUTES), "dispatcher");
    } else {
      Instant enRoute = maxOf(free, slotStart.minus(20 + random.nextInt(40), ChronoUnit.MINUTES));
      boolean direct = random.nextInt(20) == 0; // arrives without "en route"
      Instant onSite = enRoute.plus(8 + random.nextInt(45), ChronoUnit.MINUTES);
      if (!direct) {
        fieldMove(events, job, "EN_ROUTE", enRoute);
      }
      fieldMove(events, job, "ON_SITE", onSite);
      Instant t = onSite;
      int work = 35 + random.nextInt(90);
      if (random.nextInt(10) == 0) {
        Instant pause = t.plus(15 + random.nextInt(30), ChronoUnit.MINUTES);
        fieldMove(events, job, "PAUSED", pause);
        t = pause.plus(10 + random.nextInt(50), ChronoUnit.MINUTES);
        fieldMove(events, job, "ON_SITE", t);
      }
      Instant done = t.plus(work, ChronoUnit.MINUTES);
      // lines, sent with the completion
      lines(events, job, onSite, done);
      Event complete = fieldMove(events, job, "COMPLETED", done);
      ends = done;
      completed = true;
      if (random.nextInt(200) == 0) {
        // re-opened by the office, visited again and completed again later that day
        Event again = new Event(done.plus(40, ChronoUnit.MINUTES), "office", jobId);
        again.rows.add(job.fact("DISPATCHED", null, "dispatcher"));
        events.add(again);
        Instant back = done.plus(60 + random.nextInt(60), ChronoUnit.MINUTES);
        fieldMove(events, job, "ON_SITE", back);
        ends = back.plus(20 + random.nextInt(30), ChronoUnit.MINUTES);
        complete = fieldMove(events, job, "COMPLETED", ends);
      }
      complete.rows.add(Map.of("BILLING", jobId));
    }
    // the job row: written now, with its status and version as of the end of the data
    Map<String, Object> j = new HashMap<>();
    j.put("ID", jobId);
    j.put("CUSTOMER_ID", unit.customerId());
    j.put("SITE_ID", unit.siteId());
    j.put("TITLE", (revisit ? "Follow-up: " : "") + title(jobType) + " #" + (k + 1));
    j.put("DESCRIPTION", "Generated by the FieldOps reports bench.");
    j.put("JOB_TYPE", jobType);
    j.put("PRIORITY", revisit || k == 0 ? "HIGH" : "NORMAL");
    j.put("WINDOW_START", ts(dayStart.plus(7, ChronoUnit.HOURS)));
    j.put("WINDOW_END", ts(dayStart.plus(19, ChronoUnit.HOURS)));
    j.put("ESTIMATED_MINUTES", 90);
    j.put("SLOT_START", job.slotStart);
    j.put("SLOT_END", job.slotEnd);
    j.put("TECHNICIAN_IDS", tech);
    j.put("EQUIPMENT_IDS", unit.id());
    j.put("CHECKLISTS_FIXED", true);
    j.put("CREATED_AT", ts(created));
    j.put("CREATED_BY", "dispatcher");
    j.put("UPDATED_BY", "dispatcher");
    // written with its final status once the technician's day is applied (see billing)
    jobRows.put(jobId, new Object[] {j, job, unit.id()});
    return ends;
  }

  /** Jobs whose row waits for their technician's uploads of the day: id -> {row, state}. */
  private final Map<String, Object[]> jobRows = new LinkedHashMap<>();

  private Event fieldMove(List<Event> events, Job job, String to, Instant at) {
    Event e = new Event(at, "status", job.id);
    e.rows.add(job.fact(to, null, null));
    events.add(e);
    // now and then the phone sends a move the server refuses (a double tap, an old app)
    if (random.nextInt(40) == 0) {
      Event bad = new Event(at.plusSeconds(2 + random.nextInt(30)), "status", job.id);
      bad.outcome = "REJECTED";
      bad.reason = "ILLEGAL_TRANSITION";
      events.add(bad);
    }
    return e;
  }

  /** Labor (always), parts (most jobs) and a note (some), as events. */
  private void lines(List<Event> events, Job job, Instant onSite, Instant done) {
    Event labor = new Event(done.minusSeconds(30), "labor", job.id);
    long minutes = ChronoUnit.MINUTES.between(onSite, done);
    labor.rows.add(
        line(
            job,
            "LABOR",
            random.nextInt(10) == 0 ? "OT" : "STD",
            "Labor",
            BigDecimal.valueOf(minutes).divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP),
            onSite,
            done,
            random.nextInt(10) == 0 ? new BigDecimal("142.5000") : new BigDecimal("95.0000"),
            null));
    events.add(labor);
    int parts = random.nextInt(10) < 6 ? 1 + random.nextInt(2) : 0;
    for (int i = 0; i < parts; i++) {
      int sku = skew(SKUS);
      Event part = new Event(done.minusSeconds(60 + i * 20L), "part", job.id);
      part.rows.add(
          line(
              job,
              "PART",
              String.format(Locale.ROOT, "SKU-%04d", 1000 + sku),
              "Part "
                  + (1000 + sku)
                  + (sku % 3 == 0 ? " filter" : sku % 3 == 1 ? " belt" : " seal"),
              BigDecimal.valueOf(1 + random.nextInt(sku % 4 == 0 ? 6 : 2)).setScale(4),
              null,
              null,
              BigDecimal.valueOf(5 + (sku * 37 % 240)).setScale(4),
              null));
      events.add(part);
    }
    if (random.nextInt(10) < 3) {
      Event note = new Event(done.minusSeconds(90), "note", job.id);
      note.rows.add(
          line(
              job, "NOTE", null, null, null, null, null, null, "Unit serviced; filters replaced."));
      events.add(note);
    }
    // a part code the price book does not know, refused
    if (random.nextInt(50) == 0) {
      Event bad = new Event(done.minusSeconds(45), "part", job.id);
      bad.outcome = "REJECTED";
      bad.reason = pickReason();
      events.add(bad);
    }
  }

  private Map<String, Object> line(
      Job job,
      String kind,
      String code,
      String description,
      BigDecimal quantity,
      Instant started,
      Instant ended,
      BigDecimal unitPrice,
      String note) {
    Map<String, Object> l = new HashMap<>();
    l.put("LINE", kind);
    l.put("JOB_ID", job.id);
    l.put("KIND", kind);
    l.put("CODE", code);
    l.put("DESCRIPTION", description);
    l.put("QUANTITY", quantity);
    l.put("STARTED_AT", started == null ? null : ts(started));
    l.put("ENDED_AT", ended == null ? null : ts(ended));
    l.put("UNIT_PRICE", unitPrice);
    l.put("CURRENCY", unitPrice == null ? null : "USD");
    l.put("NOTE_TEXT", note);
    l.put("TECHNICIAN_ID", job.tech);
    l.put("SOURCE", "FIELD");
    l.put("VOIDED", false);
    l.put("VERSION", 1L);
    return l;
  }

  /**
   * The technician's day of events, sent in uploads: most status moves are followed by an upload
   * within a minute (the phone is online), the rest go with the next one; a few uploads are sent
   * again (their events come back as duplicates). Applies each event at its upload's time: facts
   * and lines stamped, the job row completed, the invoice drafted.
   */
  private Instant uploads(Rows w, List<Event> events, String user, int t, long[] seq, Instant now) {
    events.sort((a, b) -> a.occurred.compareTo(b.occurred));
    // a few rejected events of other kinds, spread over the day
    List<Event> pending = new ArrayList<>();
    Instant last = null;
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      if ("office".equals(e.type)) {
        applyOffice(w, e);
        continue;
      }
      pending.add(e);
      boolean end = i == events.size() - 1;
      boolean sync =
          "status".equals(e.type) && "APPLIED".equals(e.outcome) && random.nextInt(100) < 72;
      if (sync || end) {
        Instant at = e.occurred.plusSeconds(2 + random.nextInt(50));
        if (i + 1 < events.size() && !events.get(i + 1).occurred.isAfter(at)) {
          at = events.get(i + 1).occurred.minusMillis(500);
        }
        if (at.isBefore(e.occurred)) {
          at = e.occurred;
        }
        upload(w, pending, user, t, seq, at);
        last = at;
        pending.clear();
      }
    }
    // the rows of the day's jobs, now that their status is known
    for (Object[] jr : jobRows.values()) {
      {
        @SuppressWarnings("unchecked")
        Map<String, Object> j = (Map<String, Object>) jr[0];
        Job job = (Job) jr[1];
        billing(w, job, j, now);
        w.put("FO_JOB", j);
        w.put(
            "FO_JOB_TECHNICIAN",
            Map.of("JOB_ID", job.id, "TECHNICIAN_ID", job.tech, "SLOT_START", job.slotStart));
        w.put("FO_JOB_EQUIPMENT", Map.of("JOB_ID", job.id, "EQUIPMENT_ID", jr[2]));
        for (Map<String, Object> l : job.lines) {
          w.put("FO_JOB_LINE", l);
        }
      }
    }
    jobRows.clear();
    return last;
  }

  private void applyOffice(Rows w, Event e) {
    for (Map<String, Object> r : e.rows) {
      Job job = (Job) ((Object[]) jobRows.get(e.jobId))[1];
      job.stamp(r, e.occurred);
      w.put("FO_STATUS_FACT", r);
    }
  }

  private void upload(Rows w, List<Event> batch, String user, int t, long[] seq, Instant at) {
    int applied = 0;
    int rejected = 0;
    int review = 0;
    String deviceId = device(user);
    long ms = 0;
    for (Event e : batch) {
      e.received = at.plusMillis(ms += 3 + random.nextInt(20));
      if ("APPLIED".equals(e.outcome) && "note".equals(e.type) && random.nextInt(40) == 0) {
        e.outcome = "REVIEW"; // a note on an office-owned field, held for review
      }
      Map<String, Object> ev = new HashMap<>();
      ev.put("DEVICE_ID", deviceId);
      ev.put("OP_ID", id(e.occurred));
      ev.put("SEQ", ++seq[t]);
      ev.put("JOB_ID", e.jobId);
      ev.put("EVENT_TYPE", e.type);
      ev.put("PAYLOAD_HASH", hex64());
      ev.put("OUTCOME", e.outcome);
      ev.put("OCCURRED_AT", ts(e.occurred));
      ev.put("RECEIVED_AT", ts(e.received));
      ev.put("USERNAME", user);
      switch (e.outcome) {
        case "REJECTED" -> {
          rejected++;
          ev.put("REASON", e.reason);
          ev.put("RETRYABLE", !"ILLEGAL_TRANSITION".equals(e.reason));
          ev.put("MESSAGE", "refused: " + e.reason.toLowerCase(Locale.ROOT).replace('_', ' '));
          if (random.nextInt(10) < 7) {
            ev.put("ACK_AT", ts(e.received.plus(1 + random.nextInt(48), ChronoUnit.HOURS)));
            ev.put("ACK_BY", "dispatcher");
          }
        }
        case "REVIEW" -> {
          review++;
          ev.put("RETRYABLE", false);
          String reviewId = id(e.received);
          ev.put("REVIEW_ID", reviewId);
          Map<String, Object> r = new HashMap<>();
          r.put("ID", reviewId);
          boolean open = random.nextInt(8) == 0;
          r.put("STATUS", open ? "OPEN" : "RESOLVED");
          r.put("KIND", "CONFLICT");
          r.put("JOB_ID", e.jobId);
          r.put("DEVICE_ID", deviceId);
          r.put("OP_ID", ev.get("OP_ID"));
          r.put("USERNAME", user);
          r.put("PATH", "job.description");
          r.put("BASE_VALUE", "Generated by the FieldOps reports bench.");
          r.put("SERVER_VALUE", "Office edited the description.");
          r.put("DEVICE_VALUE", "Technician edited the description.");
          r.put("DEVICE_OCCURRED_AT", ts(e.occurred));
          r.put("CREATED_AT", ts(e.received));
          if (!open) {
            r.put("RESOLUTION", "KEEP_SERVER");
            r.put("RESOLVED_BY", "dispatcher");
            r.put("RESOLVED_AT", ts(e.received.plus(2 + random.nextInt(30), ChronoUnit.HOURS)));
          }
          r.put("VERSION", open ? 1L : 2L);
          w.put("FO_REVIEW", r);
        }
        default -> {
          applied++;
          ev.put("RETRYABLE", false);
          apply(w, e, user);
          ev.put("JOB_VERSION", versionOf(e.jobId));
        }
      }
      w.put("FO_DEVICE_EVENT", ev);
    }
    putUpload(w, deviceId, user, at, batch.size(), applied, 0, review, rejected);
    if (random.nextInt(50) == 0) {
      // the answer was lost: the phone sends the same batch again
      putUpload(
          w,
          deviceId,
          user,
          at.plusSeconds(20 + random.nextInt(100)),
          batch.size(),
          0,
          batch.size(),
          0,
          0);
    }
  }

  private long versionOf(String jobId) {
    Object[] jr = jobRows.get(jobId);
    return jr == null ? 0 : ((Job) jr[1]).version;
  }

  private void putUpload(
      Rows w,
      String deviceId,
      String user,
      Instant at,
      int events,
      int applied,
      int duplicates,
      int review,
      int rejected) {
    Map<String, Object> u = new HashMap<>();
    u.put("ID", id(at));
    u.put("DEVICE_ID", deviceId);
    u.put("USERNAME", user);
    u.put("RECEIVED_AT", ts(at));
    u.put("EVENTS", events);
    u.put("APPLIED", applied);
    u.put("DUPLICATES", duplicates);
    u.put("IN_REVIEW", review);
    u.put("REJECTED", rejected);
    w.put("FO_UPLOAD", u);
  }

  /** An applied event's rows, stamped with the server's time. */
  private void apply(Rows w, Event e, String user) {
    Object[] jr = jobRows.get(e.jobId);
    Job job = (Job) jr[1];
    for (Map<String, Object> r : e.rows) {
      if (r.containsKey("BILLING")) {
        job.completedAt = e.received;
      } else if (r.containsKey("LINE")) {
        Map<String, Object> l = new HashMap<>(r);
        l.remove("LINE");
        l.put("ID", id(e.received));
        l.put("CREATED_AT", ts(e.received));
        l.put("CREATED_BY", user);
        l.put("UPDATED_AT", ts(e.received));
        l.put("UPDATED_BY", user);
        job.lines.add(l); // written after the job row (see billing)
        job.version++;
      } else {
        r.put("ACTOR", r.get("ACTOR") == null ? user : r.get("ACTOR"));
        job.stamp(r, e.received);
        w.put("FO_STATUS_FACT", r);
      }
    }
  }

  /**
   * The completed job's invoice (drafted a second after the completion; approved and sent a few
   * days later, the job moving to INVOICED and CLOSED; recent ones and a few older ones left in
   * DRAFT; a few voided and replaced), then the job row with its final status.
   */
  private void billing(Rows w, Job job, Map<String, Object> j, Instant now) {
    if (job.completedAt != null) {
      String customer = (String) j.get("CUSTOMER_ID");
      Instant drafted = job.completedAt.plusMillis(300 + random.nextInt(1500));
      boolean voided = random.nextInt(100) == 0;
      if (voided) {
        Instant approved = drafted.plus(20 + random.nextInt(60), ChronoUnit.HOURS);
        Instant voidAt = approved.plus(1 + random.nextInt(48), ChronoUnit.HOURS);
        if (voidAt.isBefore(now)) {
          invoice(w, job, customer, drafted, approved, null, voidAt);
          job.move(w, "INVOICED", approved, "finance");
          drafted = voidAt.plusSeconds(5);
        }
      }
      int roll = random.nextInt(100);
      Instant approved =
          roll < 4 ? null : drafted.plus(18 + random.nextInt(80), ChronoUnit.HOURS); // stuck
      if (approved != null && !approved.isBefore(now)) {
        approved = null;
      }
      Instant sent =
          approved == null || roll < 10
              ? null
              : approved.plus(1 + random.nextInt(30), ChronoUnit.HOURS);
      if (sent != null && !sent.isBefore(now)) {
        sent = null;
      }
      invoice(w, job, customer, drafted, approved, sent, null);
      if (approved != null && !"INVOICED".equals(job.status)) {
        job.move(w, "INVOICED", approved, "finance");
      }
      if (sent != null) {
        job.move(w, "CLOSED", sent, "finance");
      }
    }
    j.put("STATUS", job.status);
    j.put("VERSION", job.version);
    j.put("UPDATED_AT", ts(job.last));
  }

  private void invoice(
      Rows w,
      Job job,
      String customer,
      Instant drafted,
      Instant approved,
      Instant sent,
      Instant voided) {
    String id = id(drafted);
    List<Map<String, Object>> lines = new ArrayList<>();
    BigDecimal subtotal = BigDecimal.ZERO;
    int position = 0;
    for (Map<String, Object> l : job.lines) {
      if ("NOTE".equals(l.get("KIND"))) {
        continue;
      }
      BigDecimal quantity = (BigDecimal) l.get("QUANTITY");
      if ("LABOR".equals(l.get("KIND"))) {
        // rounded up to the quarter hour
        quantity =
            quantity
                .multiply(BigDecimal.valueOf(4))
                .setScale(0, RoundingMode.CEILING)
                .divide(BigDecimal.valueOf(4), 4, RoundingMode.UNNECESSARY);
      }
      BigDecimal price = (BigDecimal) l.get("UNIT_PRICE");
      BigDecimal amount = quantity.multiply(price).setScale(2, RoundingMode.HALF_EVEN);
      subtotal = subtotal.add(amount);
      Map<String, Object> il = new HashMap<>();
      il.put("ID", id(drafted));
      il.put("INVOICE_ID", id);
      il.put("POSITION", ++position);
      il.put("KIND", l.get("KIND"));
      il.put("DESCRIPTION", l.get("CODE") + " " + l.get("DESCRIPTION"));
      il.put("QUANTITY", quantity);
      il.put("UNIT_PRICE", price);
      il.put("AMOUNT", amount);
      il.put("SOURCE_LINE_ID", l.get("ID"));
      lines.add(il);
    }
    BigDecimal tax = subtotal.multiply(new BigDecimal("0.07")).setScale(2, RoundingMode.HALF_EVEN);
    Map<String, Object> inv = new HashMap<>();
    inv.put("ID", id);
    String status =
        voided != null ? "VOID" : sent != null ? "SENT" : approved != null ? "APPROVED" : "DRAFT";
    if (approved != null) {
      inv.put("INVOICE_NO", String.format(Locale.ROOT, "INV-%07d", ++invoiceNo));
      inv.put("APPROVED_AT", ts(approved));
      inv.put("APPROVED_BY", "finance");
    }
    inv.put("JOB_ID", job.id);
    inv.put("ACTIVE_JOB_ID", voided == null ? job.id : null);
    inv.put("CUSTOMER_ID", customer);
    inv.put("STATUS", status);
    inv.put("CURRENCY", "USD");
    inv.put("TAX_RATE", new BigDecimal("0.070000"));
    inv.put("SUBTOTAL", subtotal);
    inv.put("TAX", tax);
    inv.put("TOTAL", subtotal.add(tax));
    inv.put(
        "VERSION",
        1L + (approved != null ? 1 : 0) + (sent != null ? 1 : 0) + (voided != null ? 1 : 0));
    inv.put("CREATED_AT", ts(drafted));
    Instant updated =
        voided != null ? voided : sent != null ? sent : approved != null ? approved : drafted;
    inv.put("UPDATED_AT", ts(updated));
    inv.put("UPDATED_BY", approved != null ? "finance" : "system");
    inv.put("SENT_AT", sent == null ? null : ts(sent));
    inv.put("VOIDED_AT", voided == null ? null : ts(voided));
    w.put("FO_INVOICE", inv);
    for (Map<String, Object> il : lines) {
      w.put("FO_INVOICE_LINE", il);
    }
  }

  private String title(String jobType) {
    return switch (jobType) {
      case "hvac.maintenance" -> "Quarterly HVAC maintenance";
      case "hvac.repair" -> "No cooling call-out";
      case "plumbing.maintenance" -> "Pump inspection";
      case "plumbing.repair" -> "Leak repair";
      default -> "Electrical safety check";
    };
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private String pickReason() {
    int total = 0;
    for (int x : REASON_WEIGHTS) {
      total += x;
    }
    int r = random.nextInt(total);
    for (int i = 0; i < REASONS.length; i++) {
      r -= REASON_WEIGHTS[i];
      if (r < 0) {
        return REASONS[i];
      }
    }
    return REASONS[0];
  }

  /** 0 .. n-1, the low ones more often (a few SKUs are most of the parts used). */
  private int skew(int n) {
    double u = random.nextDouble();
    return Math.min(n - 1, (int) (n * u * u));
  }

  private String hex64() {
    return String.format(
        Locale.ROOT,
        "%016x%016x%016x%016x",
        random.nextLong(),
        random.nextLong(),
        random.nextLong(),
        random.nextLong());
  }

  private static Instant maxOf(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }

  private static Map<String, Object> stamped(Instant at, Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    m.put("VERSION", 1L);
    m.put("CREATED_AT", ts(at));
    m.put("CREATED_BY", "bench");
    m.put("UPDATED_AT", ts(at));
    m.put("UPDATED_BY", "bench");
    return m;
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
   * Batched inserts by column name, parents flushed before children; a commit every {@code
   * commitRows} rows with the rate so far. A NOT NULL column without a default that a row does not
   * fill (a new migration) stops it with a message.
   */
  private static final class Rows implements AutoCloseable {
    private static final int BATCH = 1000;
    private static final List<String> ORDER =
        List.of(
            "FO_USER",
            "FO_CUSTOMER",
            "FO_SITE",
            "FO_EQUIPMENT",
            "FO_TECHNICIAN",
            "FO_JOB",
            "FO_JOB_TECHNICIAN",
            "FO_JOB_EQUIPMENT",
            "FO_JOB_LINE",
            "FO_STATUS_FACT",
            "FO_INVOICE",
            "FO_INVOICE_LINE",
            "FO_UPLOAD",
            "FO_DEVICE_EVENT",
            "FO_REVIEW",
            "FO_DEVICE");

    private final Connection c;
    private final Map<String, Long> counts;
    private final int commitRows;
    private final long t0;
    private final Map<String, Db.Table> tables = new HashMap<>();
    private final Map<String, PreparedStatement> inserts = new HashMap<>();
    private final Map<String, Integer> pending = new HashMap<>();
    private final Map<String, Set<String>> required = new HashMap<>();
    private long sinceCommit;
    private long total;
    private long lastReport;

    Rows(Connection c, Map<String, Long> counts, int commitRows, long t0) throws SQLException {
      this.c = c;
      this.counts = counts;
      this.commitRows = commitRows;
      this.t0 = t0;
      this.lastReport = t0;
      Map<String, Db.Table> all = Db.byName(Db.tables(c));
      Map<String, Set<String>> withDefault = new HashMap<>();
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getColumns(null, "APP", "FO_%", "%")) {
        while (rs.next()) {
          if (rs.getString("COLUMN_DEF") != null) {
            withDefault
                .computeIfAbsent(rs.getString("TABLE_NAME"), k -> new HashSet<>())
                .add(rs.getString("COLUMN_NAME"));
          }
        }
      }
      for (String name : ORDER) {
        Db.Table t = all.get(name);
        if (t == null) {
          throw new IllegalStateException("the database has no table " + name);
        }
        tables.put(name, t);
        inserts.put(name, c.prepareStatement(t.insertSql()));
        pending.put(name, 0);
        counts.put(name, 0L);
        Set<String> req = new HashSet<>();
        for (int i = 0; i < t.columns().size(); i++) {
          String col = t.columns().get(i);
          if (!t.nullable().get(i) && !withDefault.getOrDefault(name, Set.of()).contains(col)) {
            req.add(col);
          }
        }
        required.put(name, req);
      }
    }

    void put(String table, Map<String, Object> values) {
      try {
        insert(table, values);
      } catch (SQLException e) {
        throw new IllegalStateException(table + ": " + e.getMessage(), e);
      }
    }

    private void insert(String table, Map<String, Object> values) throws SQLException {
      Db.Table t = tables.get(table);
      Object[] row = new Object[t.columns().size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = values.get(t.columns().get(i));
      }
      if (counts.get(table) == 0) {
        for (String col : required.get(table)) {
          if (values.get(col) == null) {
            throw new IllegalStateException(
                table
                    + "."
                    + col
                    + " is NOT NULL without a default and the reports generator leaves it empty"
                    + " (a new migration?): teach bench/…/ReportHaystack.java to fill it");
          }
        }
      }
      PreparedStatement p = inserts.get(table);
      t.bind(p, row);
      p.addBatch();
      pending.merge(table, 1, Integer::sum);
      counts.merge(table, 1L, Long::sum);
      sinceCommit++;
      total++;
      if (pending.get(table) >= BATCH) {
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

    void commitIfDue() throws SQLException {
      if (sinceCommit >= commitRows) {
        commit();
      }
    }

    void commit() throws SQLException {
      flush();
      c.commit();
      sinceCommit = 0;
      long nowNanos = System.nanoTime();
      if (nowNanos - lastReport > 15e9) {
        lastReport = nowNanos;
        double s = (nowNanos - t0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "  %,d rows in %.0f s (%,.0f rows/s): FO_JOB %,d, FO_STATUS_FACT %,d, FO_DEVICE_EVENT"
                + " %,d%n",
            total,
            s,
            total / s,
            counts.get("FO_JOB"),
            counts.get("FO_STATUS_FACT"),
            counts.get("FO_DEVICE_EVENT"));
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
