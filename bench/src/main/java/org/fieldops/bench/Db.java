package org.fieldops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Embedded Derby helpers: opening, the server's schema scripts, table metadata. */
final class Db {
  private Db() {}

  /** A table's columns, in order, with their JDBC types and whether they may be null. */
  record Table(String name, List<String> columns, List<Integer> types, List<Boolean> nullable) {
    String insertSql() {
      return "INSERT INTO "
          + name
          + " ("
          + String.join(", ", columns)
          + ") VALUES ("
          + String.join(", ", columns.stream().map(c -> "?").toList())
          + ")";
    }

    String selectSql() {
      return "SELECT " + String.join(", ", columns) + " FROM " + name;
    }

    int index(String column) {
      int i = columns.indexOf(column);
      if (i < 0) {
        throw new IllegalStateException(name + " has no column " + column);
      }
      return i;
    }

    void bind(PreparedStatement p, Object[] row) throws SQLException {
      for (int i = 0; i < row.length; i++) {
        if (row[i] == null) {
          p.setNull(i + 1, types.get(i));
        } else {
          p.setObject(i + 1, row[i], types.get(i));
        }
      }
    }

    static Object[] read(ResultSet rs, int n) throws SQLException {
      Object[] row = new Object[n];
      for (int i = 0; i < n; i++) {
        row[i] = rs.getObject(i + 1);
      }
      return row;
    }
  }

  static Connection open(Path dir, boolean create) throws SQLException {
    String url = "jdbc:derby:" + dir.toAbsolutePath() + (create ? ";create=true" : "");
    return DriverManager.getConnection(url);
  }

  /** Shuts an embedded database down cleanly (Derby reports that as an exception). */
  static void shutdown(Path dir) {
    try {
      DriverManager.getConnection("jdbc:derby:" + dir.toAbsolutePath() + ";shutdown=true").close();
    } catch (SQLException expected) {
      // 08006: database shut down
    }
  }

  static String derbyVersion() {
    try {
      String jar =
          org.apache.derby.jdbc.EmbeddedDriver.class
              .getProtectionDomain()
              .getCodeSource()
              .getLocation()
              .getPath();
      return jar.substring(jar.lastIndexOf('/') + 1);
    } catch (RuntimeException e) {
      return "embedded Derby";
    }
  }

  static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The FO_ tables of schema APP, parents before children (by foreign keys). */
  static List<Table> tables(Connection c) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    Map<String, Table> byName = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    try (ResultSet rs = md.getTables(null, "APP", "FO_%", new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME"));
      }
    }
    names.sort(null);
    Map<String, Set<String>> parents = new HashMap<>();
    for (String name : names) {
      List<String> cols = new ArrayList<>();
      List<Integer> types = new ArrayList<>();
      List<Boolean> nullable = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "APP", name, "%")) {
        while (rs.next()) {
          cols.add(rs.getString("COLUMN_NAME"));
          types.add(rs.getInt("DATA_TYPE"));
          nullable.add(rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls);
        }
      }
      byName.put(name, new Table(name, cols, types, nullable));
      Set<String> p = new LinkedHashSet<>();
      try (ResultSet rs = md.getImportedKeys(null, "APP", name)) {
        while (rs.next()) {
          String parent = rs.getString("PKTABLE_NAME");
          if (!parent.equals(name)) {
            p.add(parent);
          }
        }
      }
      parents.put(name, p);
    }
    List<Table> ordered = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    while (done.size() < names.size()) {
      boolean progress = false;
      for (String n : names) {
        if (!done.contains(n) && done.containsAll(parents.get(n))) {
          done.add(n);
          ordered.add(byName.get(n));
          progress = true;
        }
      }
      if (!progress) {
        throw new IllegalStateException("foreign key cycle among " + names);
      }
    }
    return ordered;
  }

  static Map<String, Table> byName(List<Table> tables) {
    Map<String, Table> m = new LinkedHashMap<>();
    tables.forEach(t -> m.put(t.name(), t));
    return m;
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
