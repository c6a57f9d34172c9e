package org.fieldops.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the schema from the versioned scripts in {@code db/migration/} (listed, in
 * order, in {@code db/migration/index.txt}; a script's version is the number after its {@code V}).
 * Applied versions are kept in {@code FO_SCHEMA_VERSION} with a checksum: a script changed after it
 * was applied stops the start. Several nodes starting at once serialize on a table lock, so each
 * script runs once.
 */
final class SchemaMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
  private static final String TABLE = "FO_SCHEMA_VERSION";

  record Migration(int version, String name, String sql) {
    String checksum() {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(digest.digest(sql.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final DataSource dataSource;
  private final ClassLoader scripts;

  SchemaMigrator(DataSource dataSource, ClassLoader scripts) {
    this.dataSource = dataSource;
    this.scripts = scripts;
  }

  /** Applies every pending migration; returns the schema version afterwards. */
  int migrate() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      List<Migration> migrations = load(dialect(c));
      c.setAutoCommit(true);
      ensureVersionTable(c);
      c.setAutoCommit(false);
      try {
        try (Statement s = c.createStatement()) {
          s.execute("LOCK TABLE " + TABLE + " IN EXCLUSIVE MODE");
        }
        Map<Integer, String> applied = applied(c);
        int current = 0;
        for (Migration m : migrations) {
          String checksum = applied.get(m.version());
          if (checksum != null) {
            if (!checksum.equals(m.checksum())) {
              throw new SQLException("schema script " + m.name() + " changed after it was applied");
            }
          } else {
            LOG.info("Applying schema migration {}", m.name());
            apply(c, m);
          }
          current = m.version();
        }
        c.commit();
        return current;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private void ensureVersionTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT COUNT(*) FROM " + TABLE).close();
    } catch (SQLException missing) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE "
                + TABLE
                + " (VERSION INTEGER NOT NULL PRIMARY KEY, NAME VARCHAR(200) NOT NULL,"
                + " CHECKSUM VARCHAR(64) NOT NULL, APPLIED_AT TIMESTAMP NOT NULL)");
      } catch (SQLException raced) {
        // another node created it meanwhile: fine if it now exists
        try (Statement s = c.createStatement()) {
          s.executeQuery("SELECT COUNT(*) FROM " + TABLE).close();
        }
      }
    }
  }

  private static Map<Integer, String> applied(Connection c) throws SQLException {
    Map<Integer, String> applied = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT VERSION, CHECKSUM FROM " + TABLE)) {
      while (rs.next()) {
        applied.put(rs.getInt(1), rs.getString(2));
      }
    }
    return applied;
  }

  private static void apply(Connection c, Migration m) throws SQLException {
    for (String statement : statements(m.sql())) {
      try (Statement s = c.createStatement()) {
        s.execute(statement);
      } catch (SQLException e) {
        throw new SQLException("migration " + m.name() + " failed at: " + statement, e);
      }
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO "
                + TABLE
                + " (VERSION, NAME, CHECKSUM, APPLIED_AT) VALUES (?, ?, ?, ?)")) {
      p.setInt(1, m.version());
      p.setString(2, m.name());
      p.setString(3, m.checksum());
      p.setTimestamp(4, Timestamp.from(Instant.now()));
      p.executeUpdate();
    }
  }

  /** {@code postgresql} or {@code derby}: which copy of a script with two runs here. */
  static String dialect(Connection c) throws SQLException {
    return c.getMetaData()
            .getDatabaseProductName()
            .toLowerCase(java.util.Locale.ROOT)
            .contains("postgres")
        ? "postgresql"
        : "derby";
  }

  /**
   * Splits a script at semicolons that end a line, except inside a {@code $$}-quoted body (a
   * PostgreSQL function); drops {@code --} comment lines.
   */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (String line : sql.split("\n")) {
      String trimmed = line.strip();
      if (!quoted && (trimmed.startsWith("--") || trimmed.isEmpty())) {
        continue;
      }
      if (trimmed.split("\\$\\$", -1).length % 2 == 0) {
        quoted = !quoted;
      }
      if (!quoted && trimmed.endsWith(";")) {
        current.append(trimmed, 0, trimmed.length() - 1);
        out.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(trimmed).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  List<Migration> load() {
    return load("derby");
  }

  /**
   * The scripts in order; where {@code db/migration/<dialect>/} has its own copy of a script (for
   * what the two databases write differently, such as triggers), that copy.
   */
  List<Migration> load(String dialect) {
    List<Migration> out = new ArrayList<>();
    int previous = 0;
    for (String name : read("db/migration/index.txt").split("\n")) {
      name = name.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
      if (version <= previous) {
        throw new IllegalStateException("migrations out of order at " + name);
      }
      previous = version;
      String own = "db/migration/" + dialect + "/" + name;
      out.add(new Migration(version, name, read(exists(own) ? own : "db/migration/" + name)));
    }
    return out;
  }

  private boolean exists(String resource) {
    try (InputStream in = scripts.getResourceAsStream(resource)) {
      return in != null;
    } catch (IOException e) {
      return false;
    }
  }

  private String read(String resource) {
    try (InputStream in = scripts.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }
}
