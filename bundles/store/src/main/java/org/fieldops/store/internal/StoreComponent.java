package org.fieldops.store.internal;

import java.sql.SQLException;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.sql.DataSource;
import org.fieldops.store.Database;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Database} service, on the data source pax-jdbc-config builds from {@code
 * etc/org.ops4j.datasource-fieldops.cfg} (its {@code dataSourceName} is {@code fieldops}; another
 * can be chosen with {@code DataSource.target} in {@code etc/org.fieldops.store.cfg}). Activation
 * brings the schema up to date before anything can use it.
 */
@Component(immediate = true, configurationPid = "org.fieldops.store", service = Database.class)
public class StoreComponent implements Database {
  private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);

  private final JpaDatabase database;

  @Activate
  public StoreComponent(
      BundleContext context,
      @Reference(name = "DataSource", target = "(dataSourceName=fieldops)") DataSource dataSource)
      throws SQLException {
    long started = System.nanoTime();
    this.database = new JpaDatabase(dataSource, context.getBundle().getEntry("/"));
    LOG.info(
        "FieldOps store ready on {} at schema version {} in {} ms",
        database.dialect(),
        database.schemaVersion(),
        (System.nanoTime() - started) / 1_000_000);
  }

  @Deactivate
  void deactivate() {
    database.close();
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
  public boolean inTransactionNow() {
    return database.inTransactionNow();
  }

  @Override
  public boolean isReachable(int timeoutSeconds) {
    return database.isReachable(timeoutSeconds);
  }

  @Override
  public String dialect() {
    return database.dialect();
  }
}
