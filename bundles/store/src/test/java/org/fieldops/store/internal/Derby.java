package org.fieldops.store.internal;

import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.derby.jdbc.EmbeddedDataSource;

/** Fresh in-memory Derby databases for tests: one unique name each, dropped afterwards. */
final class Derby {
  static {
    // keep derby.log out of the module folder
    System.setProperty("derby.stream.error.file", "target/derby.log");
  }

  /** Derby sleeps half a second in every drop: drop in the background, the test need not wait. */
  private static final ExecutorService DROPPER =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "derby-drop");
            t.setDaemon(true);
            return t;
          });

  private Derby() {}

  static EmbeddedDataSource fresh() {
    EmbeddedDataSource ds = new EmbeddedDataSource();
    ds.setDatabaseName("memory:fieldops-" + UUID.randomUUID());
    ds.setCreateDatabase("create");
    return ds;
  }

  /** Drops the in-memory database in the background, freeing its memory. */
  static void drop(EmbeddedDataSource ds) {
    DROPPER.execute(() -> dropNow(ds));
  }

  /** Drops the in-memory database (Derby answers a successful drop with SQLState 08006). */
  static void dropNow(EmbeddedDataSource ds) {
    EmbeddedDataSource dropper = new EmbeddedDataSource();
    dropper.setDatabaseName(ds.getDatabaseName());
    dropper.setConnectionAttributes("drop=true");
    try {
      dropper.getConnection().close();
    } catch (SQLException expected) {
      // 08006: dropped
    }
  }
}
