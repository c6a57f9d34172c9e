package org.fieldops.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Cluster-wide leases in {@code FO_LEASE}: a node holds a named lease until it expires; it renews
 * it well before, and another node takes it over only after expiry. Renewal is one conditional
 * UPDATE, done at most every third of the lease time. Used by the change sequencer and the report
 * roll-ups.
 */
public final class Leases {
  private final Database db;
  private final Clock clock;
  private final String holder;
  private final Duration duration;
  private Instant renewAfter = Instant.MIN;

  public Leases(Database db, Clock clock, String holder, Duration duration) {
    this.db = db;
    this.clock = clock;
    this.holder = holder;
    this.duration = duration;
  }

  /**
   * True if this node holds the lease now (taking or renewing it as needed). Single-threaded use.
   */
  public boolean hold(String name) {
    Instant now = clock.instant();
    if (now.isBefore(renewAfter)) {
      return true;
    }
    boolean held =
        db.inTransaction(
            em -> {
              int n =
                  em.createNativeQuery(
                          "UPDATE FO_LEASE SET HOLDER = ?, EXPIRES_AT = ? WHERE NAME = ? AND (HOLDER = ? OR EXPIRES_AT < ?)")
                      .setParameter(1, holder)
                      .setParameter(2, java.sql.Timestamp.from(now.plus(duration)))
                      .setParameter(3, name)
                      .setParameter(4, holder)
                      .setParameter(5, java.sql.Timestamp.from(now))
                      .executeUpdate();
              return n == 1;
            });
    if (!held && !exists(name)) {
      try {
        db.inTransaction(
            em ->
                em.createNativeQuery(
                        "INSERT INTO FO_LEASE (NAME, HOLDER, EXPIRES_AT) VALUES (?, ?, ?)")
                    .setParameter(1, name)
                    .setParameter(2, holder)
                    .setParameter(3, java.sql.Timestamp.from(now.plus(duration)))
                    .executeUpdate());
        held = true;
      } catch (RuntimeException raced) {
        held = false; // another node inserted it first
      }
    }
    renewAfter = held ? now.plus(duration.dividedBy(3)) : Instant.MIN;
    return held;
  }

  private boolean exists(String name) {
    return db.read(
        em ->
            !em.createNativeQuery("SELECT NAME FROM FO_LEASE WHERE NAME = ?")
                .setParameter(1, name)
                .getResultList()
                .isEmpty());
  }

  public void release(String name) {
    try {
      db.inTransaction(
          em ->
              em.createNativeQuery(
                      "UPDATE FO_LEASE SET HOLDER = NULL, EXPIRES_AT = ? WHERE NAME = ? AND HOLDER = ?")
                  .setParameter(1, java.sql.Timestamp.from(Instant.EPOCH))
                  .setParameter(2, name)
                  .setParameter(3, holder)
                  .executeUpdate());
    } catch (RuntimeException ignored) {
      // the lease simply expires
    }
    renewAfter = Instant.MIN;
  }
}
