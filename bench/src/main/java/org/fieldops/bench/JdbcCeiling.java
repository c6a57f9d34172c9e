package org.fieldops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Part 2: the ceiling. Copies the server's database directory (the server stopped) after part 1:
 * same schema, indexes, base rows and Derby settings. Reads the rows that part 1's measured phase
 * wrote: the event rows ({@code FO_DEVICE_EVENT}) and their effects' rows ({@code FO_JOB_LINE},
 * {@code FO_CHECKLIST_ANSWER}, {@code FO_JOB_AUDIT}, {@code FO_CHANGE}, {@code
 * FO_CHANGE_TECHNICIAN}), deletes them from the copy, then inserts those same rows again by raw
 * batched JDBC with the same number of concurrent devices, each device's rows in as many
 * transactions as it sent batches (or one per event with {@code --commit=event}), plus the
 * job-version and device updates the server makes. Derby keeps its default durability (the log is
 * synced at every commit).
 */
final class JdbcCeiling {
  /** The tables part 1 appends to, and how to tell its measured rows (at or after the start). */
  private static final Map<String, String> RUN_ROWS = new LinkedHashMap<>();

  static {
    RUN_ROWS.put("FO_DEVICE_EVENT", "RECEIVED_AT >= ?");
    RUN_ROWS.put("FO_JOB_LINE", "CREATED_AT >= ?");
    RUN_ROWS.put("FO_CHECKLIST_ANSWER", "ANSWERED_AT >= ?");
    RUN_ROWS.put("FO_JOB_AUDIT", "CHANGED_AT >= ?");
    RUN_ROWS.put("FO_CHANGE", "CHANGED_AT >= ?");
    RUN_ROWS.put(
        "FO_CHANGE_TECHNICIAN", "CHANGE_ID IN (SELECT ID FROM FO_CHANGE WHERE CHANGED_AT >= ?)");
  }

  /** One device's rows of the measured phase, by table. */
  static final class DeviceRows {
    final String deviceId;
    final Map<String, List<Object[]>> rows = new LinkedHashMap<>();
    final List<String> eventJobs = new ArrayList<>();

    DeviceRows(String deviceId) {
      this.deviceId = deviceId;
    }
  }

  private final Args args;

  JdbcCeiling(Args args) {
    this.args = args;
  }

  void run() throws Exception {
    Path source = Path.of(args.require("source"));
    Path target = Path.of(args.get("target", "target/ceiling-db"));
    JsonNode ingest =
        Api.JSON.readTree(
            Files.readAllBytes(Path.of(args.get("ingest", "target/results/ingest.json"))));
    Instant start = Instant.parse(ingest.get("measuredStart").asText());
    int batchSize = ingest.get("batchSize").asInt();
    String commit = args.get("commit", "batch");
    double httpRate = ingest.get("eventsPerSecond").asDouble();

    Db.deleteTree(target);
    Db.copyTree(source, target);
    Map<String, DeviceRows> devices = new LinkedHashMap<>();
    Map<String, Long> runCounts = new LinkedHashMap<>();
    List<Db.Table> tables;
    long t0 = System.nanoTime();
    try (Connection db = Db.open(target, false)) {
      db.setAutoCommit(false);
      tables = Db.tables(db);
      Map<String, Db.Table> byName = Db.byName(tables);
      for (String t : RUN_ROWS.keySet()) {
        if (!byName.containsKey(t)) {
          throw new IllegalStateException("the server's database has no table " + t);
        }
      }
      warnAboutOtherWrites(db, tables, start);
      // the measured rows, grouped by device (each job belongs to one device in part 1)
      Map<String, String> deviceOfJob = new HashMap<>();
      Map<String, String> deviceOfChange = new HashMap<>();
      Db.Table events = byName.get("FO_DEVICE_EVENT");
      for (Object[] row : select(db, events, RUN_ROWS.get("FO_DEVICE_EVENT"), start, "SEQ")) {
        String device = (String) row[events.index("DEVICE_ID")];
        String job = (String) row[events.index("JOB_ID")];
        deviceOfJob.put(job, device);
        DeviceRows d = devices.computeIfAbsent(device, DeviceRows::new);
        d.rows.computeIfAbsent("FO_DEVICE_EVENT", k -> new ArrayList<>()).add(row);
        d.eventJobs.add(job);
      }
      runCounts.put("FO_DEVICE_EVENT", count(devices, "FO_DEVICE_EVENT"));
      for (Db.Table t : tables) {
        if (!RUN_ROWS.containsKey(t.name()) || t.name().equals("FO_DEVICE_EVENT")) {
          continue;
        }
        String order = t.columns().contains("ID") ? "ID" : t.columns().get(0);
        for (Object[] row : select(db, t, RUN_ROWS.get(t.name()), start, order)) {
          String device;
          if (t.name().equals("FO_CHANGE_TECHNICIAN")) {
            device = deviceOfChange.get((String) row[t.index("CHANGE_ID")]);
          } else {
            device = deviceOfJob.get((String) row[t.index("JOB_ID")]);
            if (t.name().equals("FO_CHANGE")) {
              deviceOfChange.put((String) row[t.index("ID")], device);
            }
          }
          if (device == null) {
            throw new IllegalStateException(
                t.name() + " row of the measured phase that no device's job explains");
          }
          devices.get(device).rows.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(row);
        }
        runCounts.put(t.name(), count(devices, t.name()));
      }
      // take them out again (children first), and give their pages back, so that the timed
      // inserts below write into the database as it was before the measured phase
      List<Db.Table> reversed = new ArrayList<>(tables);
      java.util.Collections.reverse(reversed);
      for (Db.Table t : reversed) {
        String where = RUN_ROWS.get(t.name());
        if (where != null) {
          try (PreparedStatement p =
              db.prepareStatement("DELETE FROM " + t.name() + " WHERE " + where)) {
            p.setTimestamp(1, Timestamp.from(start));
            p.executeUpdate();
          }
        }
      }
      db.commit();
      for (String t : RUN_ROWS.keySet()) {
        try (PreparedStatement p =
            db.prepareStatement("CALL SYSCS_UTIL.SYSCS_COMPRESS_TABLE('APP', ?, 1)")) {
          p.setString(1, t);
          p.execute();
        }
        db.commit();
      }
    }
    long events = runCounts.getOrDefault("FO_DEVICE_EVENT", 0L);
    long rows = runCounts.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        Locale.ROOT,
        "ceiling set-up: copy of the server's database (stopped), its %d measured events of %d"
            + " devices (%d rows) read and deleted again, in %.1f s%n",
        events,
        devices.size(),
        rows,
        (System.nanoTime() - t0) / 1e9);
    if (events == 0) {
      throw new IllegalStateException("no measured events found in " + source);
    }

    // the timed part
    List<Db.Table> runTables = tables.stream().filter(t -> RUN_ROWS.containsKey(t.name())).toList();
    int threads = args.getInt("threads", devices.size());
    List<DeviceRows> list = new ArrayList<>(devices.values());
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong commits = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Machine machine = new Machine(-1);
    Machine.Sample before;
    long nanos;
    try {
      List<Future<?>> done = new ArrayList<>();
      AtomicLong next = new AtomicLong();
      for (int i = 0; i < threads; i++) {
        done.add(
            pool.submit(
                () -> {
                  try (Connection c = Db.open(target, false)) {
                    c.setAutoCommit(false);
                    go.await();
                    for (int k; (k = (int) next.getAndIncrement()) < list.size(); ) {
                      insert(c, list.get(k), runTables, batchSize, commit, latencies, commits);
                    }
                  }
                  return null;
                }));
      }
      before = machine.sample();
      long s = System.nanoTime();
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      nanos = System.nanoTime() - s;
    } finally {
      pool.shutdownNow();
    }
    Machine.Sample after = machine.sample();
    Db.shutdown(target);
    double seconds = nanos / 1e9;
    double rate = events / seconds;
    Stats latency = new Stats(latencies.stream().mapToLong(Long::longValue).toArray());
    System.out.println();
    System.out.println(
        "== Part 2: the same rows by raw batched JDBC (embedded Derby, default durability)");
    System.out.println("rows per table: " + runCounts);
    System.out.printf(
        Locale.ROOT,
        "%d events = %d rows (%.2f rows/event) + %d job-version updates, %d threads, one transaction"
            + " per %s (%d commits)%n",
        events,
        rows,
        rows / (double) events,
        events,
        threads,
        commit.equals("event") ? "event" : batchSize + "-event batch",
        commits.get());
    System.out.printf(
        Locale.ROOT,
        "%.2f s: %.0f events/s, %.0f rows/s; transaction latency %s%n",
        seconds,
        rate,
        rows / seconds,
        latency.summary());
    System.out.println(machine.report(before, after));
    double cpuPerEvent = Machine.clientCpuSeconds(before, after) * 1000 / events;
    double httpCpu = ingest.path("serverCpuMillisPerEvent").asDouble(Double.NaN);
    System.out.printf(
        Locale.ROOT,
        "CPU per event: %.2f ms (Derby, in this JVM; at most %.0f events/s on all %d cores)%n",
        cpuPerEvent,
        Runtime.getRuntime().availableProcessors() * 1000 / cpuPerEvent,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        Locale.ROOT,
        "HTTP/JDBC: throughput %.0f / %.0f events/s = %.1f %%; CPU per event %.2f / %.2f ms ="
            + " %.1f %%%n",
        httpRate,
        rate,
        100 * httpRate / rate,
        cpuPerEvent,
        httpCpu,
        100 * cpuPerEvent / httpCpu);
  }

  /** Warns about rows of the measured phase in tables this ceiling does not replay. */
  private static void warnAboutOtherWrites(Connection db, List<Db.Table> tables, Instant start)
      throws SQLException {
    List<String> expected = List.of("FO_JOB", "FO_DEVICE", "FO_LEASE", "FO_USER");
    for (Db.Table t : tables) {
      if (RUN_ROWS.containsKey(t.name()) || expected.contains(t.name())) {
        continue;
      }
      for (int i = 0; i < t.columns().size(); i++) {
        // write stamps only (CREATED_AT, RECEIVED_AT, …), not data such as a slot in the future
        if (t.types().get(i) == java.sql.Types.TIMESTAMP && t.columns().get(i).endsWith("_AT")) {
          try (PreparedStatement p =
              db.prepareStatement(
                  "SELECT COUNT(*) FROM " + t.name() + " WHERE " + t.columns().get(i) + " >= ?")) {
            p.setTimestamp(1, Timestamp.from(start));
            try (ResultSet rs = p.executeQuery()) {
              rs.next();
              if (rs.getLong(1) > 0) {
                System.out.printf(
                    "WARNING: %d rows of %s were written during the measured phase and are not"
                        + " replayed by the ceiling%n",
                    rs.getLong(1), t.name());
              }
            }
          }
        }
      }
    }
  }

  private static long count(Map<String, DeviceRows> devices, String table) {
    return devices.values().stream()
        .mapToLong(d -> d.rows.getOrDefault(table, List.of()).size())
        .sum();
  }

  /** One device's rows, in its transactions: chunk k of every table, then the updates. */
  private static void insert(
      Connection c,
      DeviceRows d,
      List<Db.Table> tables,
      int batchSize,
      String commit,
      List<Long> latencies,
      AtomicLong commits)
      throws SQLException {
    int events = d.eventJobs.size();
    int chunks = commit.equals("event") ? events : (events + batchSize - 1) / batchSize;
    Map<String, PreparedStatement> inserts = new LinkedHashMap<>();
    try (PreparedStatement job =
            c.prepareStatement(
                "UPDATE FO_JOB SET VERSION = VERSION + 1, UPDATED_AT = ?, UPDATED_BY = ? WHERE ID = ?");
        PreparedStatement device =
            c.prepareStatement(
                "UPDATE FO_DEVICE SET LAST_UPLOAD = ?, LAST_SEQ = ? WHERE DEVICE_ID = ?")) {
      for (Db.Table t : tables) {
        inserts.put(t.name(), c.prepareStatement(t.insertSql()));
      }
      for (int k = 0; k < chunks; k++) {
        long s = System.nanoTime();
        for (Db.Table t : tables) {
          List<Object[]> rows = d.rows.getOrDefault(t.name(), List.of());
          int from = (int) ((long) k * rows.size() / chunks);
          int to = (int) ((long) (k + 1) * rows.size() / chunks);
          if (from == to) {
            continue;
          }
          PreparedStatement p = inserts.get(t.name());
          for (Object[] row : rows.subList(from, to)) {
            t.bind(p, row);
            p.addBatch();
          }
          p.executeBatch();
        }
        int from = (int) ((long) k * events / chunks);
        int to = (int) ((long) (k + 1) * events / chunks);
        Timestamp now = Timestamp.from(Instant.now());
        for (String jobId : d.eventJobs.subList(from, to)) {
          job.setTimestamp(1, now);
          job.setString(2, "bench");
          job.setString(3, jobId);
          job.addBatch();
        }
        job.executeBatch();
        device.setTimestamp(1, now);
        device.setLong(2, to);
        device.setString(3, d.deviceId);
        device.executeUpdate();
        c.commit();
        commits.incrementAndGet();
        latencies.add(System.nanoTime() - s);
      }
    } finally {
      for (PreparedStatement p : inserts.values()) {
        p.close();
      }
    }
  }

  private static List<Object[]> select(
      Connection src, Db.Table t, String where, Instant start, String orderBy) throws SQLException {
    List<Object[]> out = new ArrayList<>();
    try (PreparedStatement p =
        src.prepareStatement(t.selectSql() + " WHERE " + where + " ORDER BY " + orderBy)) {
      p.setTimestamp(1, Timestamp.from(start));
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(Db.Table.read(rs, t.columns().size()));
        }
      }
    }
    return out;
  }
}
