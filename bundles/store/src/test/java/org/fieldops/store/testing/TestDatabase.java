package org.fieldops.store.testing;

import java.net.URL;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.persistence.EntityManager;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.fieldops.store.Database;
import org.fieldops.store.internal.JpaDatabase;
import org.junit.rules.ExternalResource;

/**
 * A JUnit rule giving each test the real store on its own fresh in-memory Derby database, migrated
 * to the current schema, and dropping it afterwards. Use as {@code @Rule public final TestDatabase
 * db = new TestDatabase();}.
 *
 * <p>With {@code -Dfieldops.test.postgres=jdbc:postgresql://host/db?user=..&password=..} each test
 * gets a fresh schema in that PostgreSQL database instead (dropped afterwards); the module then
 * needs the PostgreSQL driver on its test class path.
 */
public final class TestDatabase extends ExternalResource implements Database {
  static {
    System.setProperty("derby.stream.error.file", "target/derby.log"); // not in the module folder
  }

  private static final URL STORE_ROOT =
      JpaDatabase.class.getProtectionDomain().getCodeSource().getLocation();

  /**
   * Derby sleeps half a second in every drop: drop in the background, the next test need not wait.
   */
  private static final ExecutorService DROPPER =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "derby-drop");
            t.setDaemon(true);
            return t;
          });

  private EmbeddedDataSource dataSource;
  private JpaDatabase database;
  private Postgres postgres;

  @Override
  protected void before() throws SQLException {
    String pg = System.getProperty("fieldops.test.postgres", "");
    if (!pg.isBlank()) {
      postgres = new Postgres(pg);
      database = new JpaDatabase(postgres.dataSource, STORE_ROOT);
      return;
    }
    dataSource = new EmbeddedDataSource();
    dataSource.setDatabaseName("memory:fieldops-test-" + UUID.randomUUID());
    dataSource.setCreateDatabase("create");
    database = new JpaDatabase(dataSource, STORE_ROOT);
  }

  @Override
  protected void after() {
    if (database != null) {
      database.close();
    }
    if (postgres != null) {
      postgres.drop();
      return;
    }
    String name = dataSource.getDatabaseName();
    DROPPER.execute(
        () -> {
          EmbeddedDataSource dropper = new EmbeddedDataSource();
          dropper.setDatabaseName(name);
          dropper.setConnectionAttributes("drop=true");
          try {
            dropper.getConnection().close();
          } catch (SQLException dropped) {
            // SQLState 08006: the in-memory database is gone
          }
        });
  }

  /** A fresh schema in a PostgreSQL database (loaded only when asked for). */
  private static final class Postgres {
    final org.postgresql.ds.PGSimpleDataSource dataSource =
        new org.postgresql.ds.PGSimpleDataSource();
    final String schema = "fo_test_" + UUID.randomUUID().toString().replace("-", "");

    Postgres(String url) throws SQLException {
      dataSource.setURL(url);
      try (java.sql.Connection c = dataSource.getConnection();
          java.sql.Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
      }
      dataSource.setCurrentSchema(schema);
    }

    void drop() {
      try (java.sql.Connection c = dataSource.getConnection();
          java.sql.Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      } catch (SQLException e) {
        // left behind; a later run can drop fo_test_* schemas
      }
    }
  }

  @Override
  public <T> T inTransaction(Function<EntityManager, T> work) {
    return database.inTransaction(work);
  }

  @Override
  public <T> T read(Function<EntityManager, T> work) {
    return database.read(work);
  }

  @Override
  public boolean isReachable(int timeoutSeconds) {
    return database.isReachable(timeoutSeconds);
  }

  @Override
  public boolean inTransactionNow() {
    return database.inTransactionNow();
  }

  @Override
  public String dialect() {
    return database.dialect();
  }
}
