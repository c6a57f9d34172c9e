package org.fieldops.store.internal;

import java.net.URL;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.persistence.OptimisticLockException;
import javax.sql.DataSource;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.fieldops.store.BillingRequestEntity;
import org.fieldops.store.ChangeEntity;
import org.fieldops.store.ChangeTechnicianEntity;
import org.fieldops.store.ChecklistAnswerEntity;
import org.fieldops.store.ConcurrentUpdateException;
import org.fieldops.store.CounterEntity;
import org.fieldops.store.CustomerEntity;
import org.fieldops.store.Database;
import org.fieldops.store.DeviceEntity;
import org.fieldops.store.DeviceEventEntity;
import org.fieldops.store.EquipmentEntity;
import org.fieldops.store.ExportEntity;
import org.fieldops.store.FieldWriteEntity;
import org.fieldops.store.InstantConverter;
import org.fieldops.store.InvoiceAuditEntity;
import org.fieldops.store.InvoiceEntity;
import org.fieldops.store.InvoiceLineEntity;
import org.fieldops.store.JobAuditEntity;
import org.fieldops.store.JobChecklistEntity;
import org.fieldops.store.JobCompletionEntity;
import org.fieldops.store.JobEquipmentEntity;
import org.fieldops.store.JobLineEntity;
import org.fieldops.store.JobTechnicianEntity;
import org.fieldops.store.MediaEntity;
import org.fieldops.store.MediaRefEntity;
import org.fieldops.store.MediaUploaderEntity;
import org.fieldops.store.PacketSnapshotEntity;
import org.fieldops.store.PriceEntity;
import org.fieldops.store.ReportRollupEntity;
import org.fieldops.store.ReviewEntity;
import org.fieldops.store.SiteEntity;
import org.fieldops.store.StatusFactEntity;
import org.fieldops.store.TechnicianEntity;
import org.fieldops.store.UploadEntity;
import org.fieldops.store.UserAccountEntity;
import org.fieldops.store.WorkOrderEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on a data source: migrates the schema, then builds EclipseLink's EntityManagerFactory
 * with our own class loader. Plain Java so tests can run it on a real Derby without OSGi.
 */
public final class JpaDatabase implements Database, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JpaDatabase.class);

  static final List<Class<?>> ENTITIES =
      List.of(
          InstantConverter.class,
          UserAccountEntity.class,
          CustomerEntity.class,
          SiteEntity.class,
          EquipmentEntity.class,
          TechnicianEntity.class,
          WorkOrderEntity.class,
          JobTechnicianEntity.class,
          JobEquipmentEntity.class,
          DeviceEntity.class,
          DeviceEventEntity.class,
          JobAuditEntity.class,
          ChangeEntity.class,
          ChangeTechnicianEntity.class,
          PriceEntity.class,
          JobLineEntity.class,
          JobChecklistEntity.class,
          ChecklistAnswerEntity.class,
          MediaEntity.class,
          MediaUploaderEntity.class,
          MediaRefEntity.class,
          ReviewEntity.class,
          FieldWriteEntity.class,
          PacketSnapshotEntity.class,
          BillingRequestEntity.class,
          InvoiceEntity.class,
          InvoiceLineEntity.class,
          InvoiceAuditEntity.class,
          CounterEntity.class,
          ExportEntity.class,
          StatusFactEntity.class,
          UploadEntity.class,
          JobCompletionEntity.class,
          ReportRollupEntity.class);

  private final DataSource dataSource;
  private final String dialect;
  private final int schemaVersion;
  private final EntityManagerFactory emf;

  /** The transaction running on this thread, which nested calls join. */
  private final ThreadLocal<EntityManager> current = new ThreadLocal<>();

  /**
   * @param root the persistence unit root (the bundle's root entry, or the classes folder in tests)
   */
  public JpaDatabase(DataSource dataSource, URL root) throws SQLException {
    this.dataSource = dataSource;
    this.dialect = detectDialect(dataSource);
    ClassLoader loader = JpaDatabase.class.getClassLoader();
    this.schemaVersion = new SchemaMigrator(dataSource, loader).migrate();

    Properties props = new Properties();
    props.put("eclipselink.weaving", "false");
    props.put("eclipselink.ddl-generation", "none");
    props.put("eclipselink.cache.shared.default", "false");
    props.put("eclipselink.logging.level", "WARNING");
    props.put("eclipselink.logging.logger", "JavaLogger");
    props.put("eclipselink.jdbc.batch-writing", "JDBC");
    props.put("eclipselink.jdbc.batch-writing.size", "100");
    props.put("eclipselink.target-database", "derby".equals(dialect) ? "Derby" : "PostgreSQL");
    List<String> names = ENTITIES.stream().map(Class::getName).toList();

    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      this.emf =
          new PersistenceProvider()
              .createContainerEntityManagerFactory(
                  new FieldOpsPersistenceUnit(dataSource, loader, root, names, props), props);
      this.emf.createEntityManager().close(); // log in now: fail at start, not at the first request
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static String detectDialect(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("derby")) {
        return "derby";
      }
      if (product.contains("postgres")) {
        return "postgresql";
      }
      throw new SQLException("unsupported database: " + product + " (use Derby or PostgreSQL)");
    }
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  /** Attempts of an outermost transaction that lost a lock conflict (deadlock, lock timeout). */
  static final int LOCK_ATTEMPTS = 4;

  @Override
  public <T> T inTransaction(Function<EntityManager, T> work) {
    EntityManager joined = current.get();
    if (joined != null) {
      return work.apply(joined); // nested: one transaction, the outermost commits or rolls back
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work);
      } catch (RuntimeException e) {
        if (attempt >= LOCK_ATTEMPTS || !lockConflict(e)) {
          throw e;
        }
        // the database chose this transaction as the victim of a deadlock (or it waited too long
        // for a lock): everything was rolled back, so run it again after a short random pause
        LOG.info("Transaction retried after a lock conflict (attempt {}): {}", attempt, cause(e));
        try {
          Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 40L * attempt));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private <T> T once(Function<EntityManager, T> work) {
    EntityManager em = emf.createEntityManager();
    EntityTransaction tx = em.getTransaction();
    current.set(em);
    try {
      tx.begin();
      T result = work.apply(em);
      tx.commit();
      return result;
    } catch (RuntimeException e) {
      if (tx.isActive()) {
        tx.rollback();
      }
      if (isOptimisticLock(e)) {
        throw new ConcurrentUpdateException(e);
      }
      throw e;
    } finally {
      current.remove();
      em.close();
    }
  }

  /**
   * A deadlock or lock timeout: SQL state class 40 (transaction rollback: Derby 40001 deadlock and
   * 40XL1/40XL2 lock timeout, PostgreSQL 40P01 deadlock and 40001 serialization failure).
   */
  static boolean lockConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransactionRollbackException) {
        return true;
      }
      if (t instanceof SQLException q
          && q.getSQLState() != null
          && q.getSQLState().startsWith("40")) {
        return true;
      }
    }
    return false;
  }

  private static String cause(Throwable e) {
    Throwable last = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      last = t;
    }
    String m = String.valueOf(last.getMessage());
    int line = m.indexOf('\n');
    return line < 0 ? m : m.substring(0, line);
  }

  @Override
  public boolean inTransactionNow() {
    return current.get() != null;
  }

  private static boolean isOptimisticLock(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OptimisticLockException
          || t instanceof org.eclipse.persistence.exceptions.OptimisticLockException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public <T> T read(Function<EntityManager, T> work) {
    EntityManager joined = current.get();
    if (joined != null) {
      return work.apply(joined); // inside a transaction: see its own writes
    }
    EntityManager em = emf.createEntityManager();
    try {
      return work.apply(em);
    } finally {
      em.close();
    }
  }

  @Override
  public boolean isReachable(int timeoutSeconds) {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(timeoutSeconds);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public String dialect() {
    return dialect;
  }

  @Override
  public void close() {
    emf.close();
  }
}
