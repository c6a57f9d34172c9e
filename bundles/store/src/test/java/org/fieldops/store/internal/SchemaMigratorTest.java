package org.fieldops.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class SchemaMigratorTest {
  /** The newest version among the real scripts. */
  static final int LATEST = latest();

  /** The version of the last script in the real index. */
  private static int latest() {
    try (java.io.InputStream in =
        SchemaMigratorTest.class.getClassLoader().getResourceAsStream("db/migration/index.txt")) {
      String last = "";
      for (String line :
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("V")) {
          last = line;
        }
      }
      return Integer.parseInt(last.substring(1, last.indexOf("__")));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final ClassLoader REAL = SchemaMigratorTest.class.getClassLoader();

  private EmbeddedDataSource ds;

  @Before
  public void freshDatabase() {
    ds = Derby.fresh();
  }

  @After
  public void dropDatabase() {
    Derby.drop(ds);
  }

  // --- statements() ---

  @Test
  public void statementsSplitAtSemicolonsEndingALine() {
    List<String> out =
        SchemaMigrator.statements(
            "-- a comment\n"
                + "CREATE TABLE A (\n"
                + "  ID INTEGER NOT NULL,\n"
                + "  NAME VARCHAR(10)\n"
                + ");\n"
                + "\n"
                + "   -- indented comment\n"
                + "CREATE INDEX A_ID ON A (ID);\n"
                + "INSERT INTO A VALUES (1, 'x;y');\n");
    assertEquals(3, out.size());
    assertEquals("CREATE TABLE A (\nID INTEGER NOT NULL,\nNAME VARCHAR(10)\n)", out.get(0));
    assertEquals("CREATE INDEX A_ID ON A (ID)", out.get(1));
    assertEquals("INSERT INTO A VALUES (1, 'x;y')", out.get(2));
  }

  @Test
  public void statementsKeepATrailingStatementWithoutSemicolon() {
    assertEquals(
        List.of("CREATE TABLE A (ID INTEGER)", "DROP TABLE A"),
        SchemaMigrator.statements("CREATE TABLE A (ID INTEGER);\nDROP TABLE A"));
  }

  @Test
  public void statementsHandleWindowsLineEndingsAndBlankInput() {
    assertEquals(
        List.of("SELECT 1", "SELECT 2"), SchemaMigrator.statements("SELECT 1;\r\nSELECT 2;\r\n"));
    assertEquals(List.of(), SchemaMigrator.statements(""));
    assertEquals(List.of(), SchemaMigrator.statements("-- only a comment\n\n   \n"));
  }

  @Test
  public void theShippedScriptSplitsIntoItsStatements() {
    List<SchemaMigrator.Migration> migrations = new SchemaMigrator(ds, REAL).load();
    assertEquals(1, migrations.get(0).version());
    List<String> statements = SchemaMigrator.statements(migrations.get(0).sql());
    assertTrue(statements.size() >= 8);
    for (String s : statements) {
      assertFalse(s, s.endsWith(";"));
      assertFalse(s, s.contains("--"));
    }
  }

  // --- migrate() ---

  @Test
  public void migrateCreatesTheSchemaOnAFreshDatabase() throws SQLException {
    assertEquals(LATEST, new SchemaMigrator(ds, REAL).migrate());

    Set<String> tables = tables();
    for (String t :
        List.of(
            "FO_SCHEMA_VERSION",
            "FO_USER",
            "FO_CUSTOMER",
            "FO_SITE",
            "FO_EQUIPMENT",
            "FO_TECHNICIAN")) {
      assertTrue(t + " in " + tables, tables.contains(t));
    }
    Map<Integer, String> applied = applied();
    assertEquals(
        java.util.stream.IntStream.rangeClosed(1, LATEST)
            .boxed()
            .collect(java.util.stream.Collectors.toSet()),
        applied.keySet());
    assertEquals("V001__master_data.sql", applied.get(1));
  }

  @Test
  public void migrateTwiceIsIdempotentAndAppliesNothingAgain() throws SQLException {
    SchemaMigrator migrator = new SchemaMigrator(ds, REAL);
    assertEquals(LATEST, migrator.migrate());
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO FO_USER (USERNAME, PASSWORD_HASH, ROLES, DISABLED, VERSION, CREATED_AT,"
              + " UPDATED_AT, UPDATED_BY) VALUES ('kept', 'h', 'admin', FALSE, 1, CURRENT_TIMESTAMP,"
              + " CURRENT_TIMESTAMP, 'test')");
    }
    Timestamp firstApplied = appliedAt(1);

    assertEquals(LATEST, migrator.migrate());
    assertEquals(LATEST, new SchemaMigrator(ds, REAL).migrate());

    assertEquals(LATEST, count("FO_SCHEMA_VERSION"));
    assertEquals(firstApplied, appliedAt(1));
    assertEquals("data survives a second migrate()", 1, count("FO_USER"));
  }

  @Test
  public void aScriptChangedAfterItWasAppliedStopsTheStart() throws SQLException {
    assertEquals(LATEST, new SchemaMigrator(ds, REAL).migrate());
    String original = resource("db/migration/V001__master_data.sql");
    ClassLoader altered =
        new Scripts(Map.of("db/migration/V001__master_data.sql", original + "\n-- edited later\n"));

    SQLException e =
        assertThrows(SQLException.class, () -> new SchemaMigrator(ds, altered).migrate());
    assertTrue(e.getMessage(), e.getMessage().contains("V001__master_data.sql"));
    assertTrue(e.getMessage(), e.getMessage().contains("changed"));
    assertEquals(LATEST, count("FO_SCHEMA_VERSION"));
  }

  @Test
  public void aNewScriptIsAppliedOnTopOfTheOldOnes() throws SQLException {
    assertEquals(LATEST, new SchemaMigrator(ds, REAL).migrate());
    Set<Integer> real = applied().keySet();
    ClassLoader next =
        new Scripts(
            Map.of(
                "db/migration/index.txt", "V001__master_data.sql\n# a comment\n\nV900__extra.sql\n",
                "db/migration/V900__extra.sql",
                    "CREATE TABLE FO_EXTRA (ID INTEGER NOT NULL PRIMARY KEY);\n"));

    assertEquals(900, new SchemaMigrator(ds, next).migrate());
    assertTrue(tables().contains("FO_EXTRA"));
    Set<Integer> withExtra = new java.util.TreeSet<>(real);
    withExtra.add(900);
    assertEquals(withExtra, applied().keySet());
    assertEquals(900, new SchemaMigrator(ds, next).migrate());
  }

  @Test
  public void aFailingScriptLeavesNothingBehind() throws SQLException {
    assertEquals(LATEST, new SchemaMigrator(ds, REAL).migrate());
    Set<Integer> real = applied().keySet();
    ClassLoader broken =
        new Scripts(
            Map.of(
                "db/migration/index.txt",
                "V001__master_data.sql\nV900__broken.sql\n",
                "db/migration/V900__broken.sql",
                "CREATE TABLE FO_HALF (ID INTEGER NOT NULL PRIMARY KEY);\nCREATE TABLE NOT VALID SQL;\n"));

    SQLException e =
        assertThrows(SQLException.class, () -> new SchemaMigrator(ds, broken).migrate());
    assertTrue(e.getMessage(), e.getMessage().contains("V900__broken.sql"));
    assertFalse(
        "the first statement of the failed script is rolled back", tables().contains("FO_HALF"));
    assertEquals(real, applied().keySet());
  }

  @Test(timeout = 120_000)
  public void nodesStartingTogetherApplyEachScriptOnce() throws Exception {
    int nodes = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(nodes);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return new SchemaMigrator(ds, REAL).migrate();
                }));
      }
      start.countDown();
      for (java.util.concurrent.Future<Integer> r : results) {
        assertEquals(Integer.valueOf(LATEST), r.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(LATEST, count("FO_SCHEMA_VERSION"));
    assertTrue(tables().contains("FO_TECHNICIAN"));
  }

  @Test
  public void migrationsOutOfOrderAreRefused() {
    ClassLoader swapped =
        new Scripts(
            Map.of(
                "db/migration/index.txt", "V900__extra.sql\nV001__master_data.sql\n",
                "db/migration/V900__extra.sql", "CREATE TABLE FO_EXTRA (ID INTEGER);\n"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new SchemaMigrator(ds, swapped).migrate());
    assertTrue(e.getMessage(), e.getMessage().contains("out of order"));
    assertFalse("nothing was applied", tables().contains("FO_USER"));
  }

  @Test
  public void aRepeatedVersionIsRefused() {
    ClassLoader twice =
        new Scripts(
            Map.of(
                "db/migration/index.txt", "V001__master_data.sql\nV001__again.sql\n",
                "db/migration/V001__again.sql", "CREATE TABLE FO_EXTRA (ID INTEGER);\n"));
    assertThrows(IllegalStateException.class, () -> new SchemaMigrator(ds, twice).migrate());
  }

  @Test
  public void aListedScriptThatIsMissingIsReported() {
    ClassLoader missing =
        new Scripts(Map.of("db/migration/index.txt", "V001__master_data.sql\nV900__gone.sql\n"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new SchemaMigrator(ds, missing).migrate());
    assertTrue(e.getMessage(), e.getMessage().contains("V900__gone.sql"));
  }

  // --- helpers ---

  /** Serves replaced or extra resources, and everything else from the real class path. */
  private static final class Scripts extends ClassLoader {
    private final Map<String, String> overrides;

    Scripts(Map<String, String> overrides) {
      super(REAL);
      this.overrides = new HashMap<>(overrides);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      String text = overrides.get(name);
      return text != null
          ? new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))
          : super.getResourceAsStream(name);
    }
  }

  private static String resource(String name) {
    try (InputStream in = REAL.getResourceAsStream(name)) {
      assertNotNull(name, in);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Set<String> tables() {
    Set<String> names = new TreeSet<>();
    try (Connection c = ds.getConnection();
        ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME"));
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return names;
  }

  private Map<Integer, String> applied() throws SQLException {
    Map<Integer, String> out = new HashMap<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT VERSION, NAME, CHECKSUM FROM FO_SCHEMA_VERSION")) {
      while (rs.next()) {
        assertEquals(64, rs.getString(3).length());
        out.put(rs.getInt(1), rs.getString(2));
      }
    }
    return out;
  }

  private Timestamp appliedAt(int version) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT APPLIED_AT FROM FO_SCHEMA_VERSION WHERE VERSION = " + version)) {
      assertTrue(rs.next());
      return rs.getTimestamp(1);
    }
  }

  private int count(String table) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
