package org.fieldops.store;

import java.util.function.Function;
import javax.persistence.EntityManager;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one transaction helper of the core. Each call runs its work with a fresh {@link
 * EntityManager} on the configured data source and closes it afterwards; entities must not escape
 * the call. Thread-safe.
 */
@ProviderType
public interface Database {

  /**
   * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws (its
   * exception is rethrown unchanged). A call made while this thread already runs a transaction
   * joins it: the outermost call commits or rolls back everything, so a caller can make several
   * services' changes (and its own records) one atomic unit.
   *
   * @throws ConcurrentUpdateException if the commit lost an optimistic-lock race
   */
  <T> T inTransaction(Function<EntityManager, T> work);

  /**
   * Runs read-only {@code work}; nothing it changes is committed. Inside a transaction of this
   * thread it reads through that transaction (and sees its writes).
   */
  <T> T read(Function<EntityManager, T> work);

  /**
   * True if this thread is inside {@link #inTransaction}: a retry must then be left to the
   * outermost caller.
   */
  boolean inTransactionNow();

  /** True if a connection can be had and is valid within {@code timeoutSeconds}. */
  boolean isReachable(int timeoutSeconds);

  /** The database product in use: {@code derby} or {@code postgresql}. */
  String dialect();
}
