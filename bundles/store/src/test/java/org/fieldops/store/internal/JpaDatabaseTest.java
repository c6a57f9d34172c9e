package org.fieldops.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.net.URL;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.fieldops.store.ConcurrentUpdateException;
import org.fieldops.store.CustomerEntity;
import org.fieldops.store.Ids;
import org.fieldops.store.UserAccountEntity;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class JpaDatabaseTest {
  private static final URL ROOT =
      JpaDatabase.class.getProtectionDomain().getCodeSource().getLocation();
  private static final Instant T0 = Instant.parse("2026-11-25T08:30:00Z");

  private EmbeddedDataSource ds;
  private JpaDatabase db;

  @Before
  public void open() throws SQLException {
    ds = Derby.fresh();
    db = new JpaDatabase(ds, ROOT);
  }

  @After
  public void close() {
    if (db != null) {
      db.close();
    }
    Derby.drop(ds);
  }

  private static CustomerEntity customer(String name) {
    CustomerEntity c = new CustomerEntity();
    c.name = name;
    c.currency = "USD";
    c.taxRate = new BigDecimal("0.0825");
    c.stampCreated("test", T0);
    return c;
  }

  /** Runs a transaction on another thread (a nested call on this thread would join ours). */
  private static void elsewhere(Runnable work) {
    java.util.concurrent.ExecutorService other =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      other.submit(work).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      other.shutdownNow();
    }
  }

  private String insert(String name) {
    return db.inTransaction(
        em -> {
          CustomerEntity c = customer(name);
          em.persist(c);
          return c.getId();
        });
  }

  @Test
  public void aNestedTransactionJoinsTheOuterOneAndSeesItsWrites() {
    String[] ids = new String[2];
    db.inTransaction(
        em -> {
          ids[0] = insert("Outer"); // nested: joins
          assertTrue(db.inTransactionNow());
          assertEquals("Outer", db.read(r -> r.find(CustomerEntity.class, ids[0]).name));
          ids[1] = insert("Second");
          return null;
        });
    assertFalse(db.inTransactionNow());
    assertEquals("Outer", db.read(em -> em.find(CustomerEntity.class, ids[0]).name));
    assertEquals("Second", db.read(em -> em.find(CustomerEntity.class, ids[1]).name));
  }

  @Test
  public void aFailureInsideANestedCallRollsBackTheWholeUnit() {
    String[] id = new String[1];
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                db.inTransaction(
                    em -> {
                      id[0] = insert("Doomed");
                      return db.inTransaction(
                          inner -> {
                            throw new IllegalStateException("inner failure");
                          });
                    }));
    assertEquals("inner failure", e.getMessage());
    assertNull(db.read(em -> em.find(CustomerEntity.class, id[0])));
    assertFalse(db.inTransactionNow());
  }

  @Test
  public void startsOnAFreshDerbyAtTheLatestSchemaVersion() {
    assertEquals("derby", db.dialect());
    assertEquals(SchemaMigratorTest.LATEST, db.schemaVersion());
    assertTrue(db.isReachable(2));
  }

  @Test
  public void aSecondStartOnTheSameDatabaseFindsTheSchemaInPlace() throws SQLException {
    String id = insert("Acme");
    try (JpaDatabase again = new JpaDatabase(ds, ROOT)) {
      assertEquals(SchemaMigratorTest.LATEST, again.schemaVersion());
      assertEquals("Acme", again.read(em -> em.find(CustomerEntity.class, id).name));
    }
  }

  @Test
  public void aTransactionThatReturnsIsCommitted() {
    String id = insert("Acme");

    CustomerEntity read = db.read(em -> em.find(CustomerEntity.class, id));
    assertNotNull(read);
    assertEquals("Acme", read.name);
    assertEquals(0, new BigDecimal("0.0825").compareTo(read.taxRate));
    assertEquals(1L, read.getVersion());
    assertEquals(T0, read.getCreatedAt());
    assertEquals("test", read.getCreatedBy());
    assertTrue(Ids.isWellFormed(read.getId()));
  }

  @Test
  public void anUpdateRaisesTheVersion() {
    String id = insert("Acme");
    long version =
        db.inTransaction(
            em -> {
              CustomerEntity c = em.find(CustomerEntity.class, id);
              c.name = "Acme Inc.";
              c.stampUpdated("other", T0.plusSeconds(60));
              em.flush();
              return c.getVersion();
            });
    assertEquals(2L, version);
    CustomerEntity read = db.read(em -> em.find(CustomerEntity.class, id));
    assertEquals("Acme Inc.", read.name);
    assertEquals(2L, read.getVersion());
    assertEquals("other", read.getUpdatedBy());
    assertEquals(T0, read.getCreatedAt());
  }

  @Test
  public void anExceptionRollsBackAndIsRethrownUnchanged() {
    String kept = insert("Kept");
    IllegalStateException thrown = new IllegalStateException("boom");
    String[] created = new String[1];

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                db.inTransaction(
                    em -> {
                      CustomerEntity c = customer("Lost");
                      em.persist(c);
                      created[0] = c.getId();
                      CustomerEntity k = em.find(CustomerEntity.class, kept);
                      k.name = "Changed";
                      em.flush(); // the rows are written, and must still vanish
                      throw thrown;
                    }));

    assertSame(thrown, e);
    assertNull(db.read(em -> em.find(CustomerEntity.class, created[0])));
    CustomerEntity k = db.read(em -> em.find(CustomerEntity.class, kept));
    assertEquals("Kept", k.name);
    assertEquals(1L, k.getVersion());
  }

  @Test
  public void aDatabaseErrorRollsBackTheWholeTransaction() {
    String[] first = new String[1];
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                db.inTransaction(
                    em -> {
                      CustomerEntity ok = customer("First");
                      em.persist(ok);
                      first[0] = ok.getId();
                      CustomerEntity bad = customer("Second");
                      bad.currency = null; // NOT NULL column
                      em.persist(bad);
                      em.flush();
                      return null;
                    }));
    assertFalse(e instanceof ConcurrentUpdateException);
    assertNull(db.read(em -> em.find(CustomerEntity.class, first[0])));
    assertTrue("the store is usable afterwards", db.isReachable(2));
    assertNotNull(insert("Later"));
  }

  @Test
  public void readCommitsNothing() {
    String id = insert("Acme");
    db.read(
        em -> {
          em.find(CustomerEntity.class, id).name = "Changed in a read";
          return null;
        });
    assertEquals("Acme", db.read(em -> em.find(CustomerEntity.class, id).name));
  }

  @Test
  public void instantsRoundTripExactly() {
    Instant at = Instant.parse("2026-03-29T01:30:00.123456Z"); // inside a DST change in many zones
    String id =
        db.inTransaction(
            em -> {
              CustomerEntity c = customer("Clock");
              c.stampCreated("test", at);
              em.persist(c);
              return c.getId();
            });
    assertEquals(
        at.truncatedTo(ChronoUnit.MICROS),
        db.read(em -> em.find(CustomerEntity.class, id).getCreatedAt()));
  }

  @Test
  public void aLostOptimisticLockRaceRaisesConcurrentUpdateException() {
    String id = insert("Acme");

    ConcurrentUpdateException e =
        assertThrows(
            ConcurrentUpdateException.class,
            () ->
                db.inTransaction(
                    em -> {
                      CustomerEntity mine = em.find(CustomerEntity.class, id); // read at version 1
                      // another transaction (another thread) changes the same row and commits
                      // meanwhile
                      elsewhere(
                          () ->
                              db.inTransaction(
                                  other -> {
                                    other.find(CustomerEntity.class, id).name = "Theirs";
                                    return null;
                                  }));
                      mine.name = "Mine";
                      em.flush();
                      return null;
                    }));
    assertNotNull(e.getCause());

    CustomerEntity now = db.read(em -> em.find(CustomerEntity.class, id));
    assertEquals("Theirs", now.name);
    assertEquals(2L, now.getVersion());
  }

  @Test
  public void aRaceLostAtCommitTimeRaisesConcurrentUpdateException() {
    String id = insert("Acme");
    // no explicit flush: the conflict surfaces only in commit()
    assertThrows(
        ConcurrentUpdateException.class,
        () ->
            db.inTransaction(
                em -> {
                  CustomerEntity mine = em.find(CustomerEntity.class, id);
                  elsewhere(
                      () ->
                          db.inTransaction(
                              other -> {
                                other.find(CustomerEntity.class, id).contact = "theirs";
                                return null;
                              }));
                  mine.contact = "mine";
                  return null;
                }));
    assertEquals("theirs", db.read(em -> em.find(CustomerEntity.class, id).contact));
  }

  @Test(timeout = 60_000)
  public void twoThreadsUpdatingTheSameRowOneWinsOneIsTold() throws Exception {
    String id = insert("Acme");
    CountDownLatch bothRead = new CountDownLatch(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?>[] results = new Future<?>[2];
      for (int i = 0; i < 2; i++) {
        String name = "Writer " + i;
        results[i] =
            pool.submit(
                () ->
                    db.inTransaction(
                        em -> {
                          CustomerEntity c = em.find(CustomerEntity.class, id);
                          bothRead.countDown();
                          try {
                            assertTrue(bothRead.await(20, TimeUnit.SECONDS));
                          } catch (InterruptedException ie) {
                            throw new IllegalStateException(ie);
                          }
                          c.name = name;
                          em.flush();
                          return null;
                        }));
      }
      int won = 0;
      int lost = 0;
      for (Future<?> f : results) {
        try {
          f.get();
          won++;
        } catch (java.util.concurrent.ExecutionException ee) {
          assertTrue(
              String.valueOf(ee.getCause()), ee.getCause() instanceof ConcurrentUpdateException);
          lost++;
        }
      }
      assertEquals(1, won);
      assertEquals(1, lost);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2L, (long) db.read(em -> em.find(CustomerEntity.class, id).getVersion()));
  }

  @Test
  public void entitiesWithANaturalKeyWork() {
    db.inTransaction(
        em -> {
          UserAccountEntity u = new UserAccountEntity();
          u.username = "alice";
          u.passwordHash = "h";
          u.roles = "dispatcher";
          u.createdAt = T0;
          u.updatedAt = T0;
          u.updatedBy = "test";
          em.persist(u);
          return null;
        });
    UserAccountEntity u = db.read(em -> em.find(UserAccountEntity.class, "alice"));
    assertEquals("dispatcher", u.roles);
    assertEquals(1L, u.version);
  }

  @Test
  public void startFailsWhenNoConnectionCanBeHad() {
    EmbeddedDataSource none = new EmbeddedDataSource();
    none.setDatabaseName("memory:does-not-exist-" + Ids.next()); // no create=true: cannot connect
    assertThrows(SQLException.class, () -> new JpaDatabase(none, ROOT));
  }

  @Test
  public void isReachableFollowsTheDatabase() throws SQLException {
    Switchable sw = new Switchable(ds);
    try (JpaDatabase switched = new JpaDatabase(sw, ROOT)) {
      assertTrue(switched.isReachable(2));
      sw.down = true;
      assertFalse(switched.isReachable(2));
      sw.down = false;
      assertTrue(switched.isReachable(2));
    }
  }

  /** A real data source that can be cut off, as when the database server goes away. */
  private static final class Switchable implements DataSource {
    private final DataSource delegate;
    volatile boolean down;

    Switchable(DataSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (down) {
        throw new SQLException("connection refused", "08001");
      }
      return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public java.io.PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(java.io.PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger()
        throws java.sql.SQLFeatureNotSupportedException {
      return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return delegate.isWrapperFor(iface);
    }
  }

  @Test
  public void aDeadlockVictimIsRunAgainAndBothTransactionsCommit() throws Exception {
    String[] ids = {insert("A"), insert("B")};
    db.inTransaction(
        em ->
            em.createNativeQuery(
                    "CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('derby.locks.deadlockTimeout', '1')")
                .executeUpdate());
    java.util.concurrent.CountDownLatch bothLocked = new java.util.concurrent.CountDownLatch(2);
    java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.List<Future<Integer>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 2; t++) {
        String first = ids[t];
        String second = ids[1 - t];
        done.add(
            two.submit(
                () ->
                    db.inTransaction(
                        em -> {
                          runs.incrementAndGet();
                          rename(em, first, "locked first");
                          if (bothLocked.getCount() > 0) {
                            bothLocked.countDown();
                            try {
                              bothLocked.await(); // each holds one row and asks for the other's
                            } catch (InterruptedException e) {
                              throw new IllegalStateException(e);
                            }
                          }
                          return rename(em, second, "then the other");
                        })));
      }
      for (Future<Integer> f : done) {
        assertEquals(1, (int) f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      two.shutdownNow();
    }
    assertEquals(3, runs.get()); // the victim ran twice
  }

  private static int rename(javax.persistence.EntityManager em, String id, String name) {
    return em.createNativeQuery("UPDATE FO_CUSTOMER SET NAME = ?1 WHERE ID = ?2")
        .setParameter(1, name)
        .setParameter(2, id)
        .executeUpdate();
  }
}
