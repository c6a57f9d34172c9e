package org.fieldops.billing.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.master.Customer;
import org.fieldops.api.platform.PluginInfo;
import org.fieldops.api.platform.PluginKind;
import org.fieldops.spi.accounting.AccountingConnector;
import org.fieldops.spi.accounting.ExportResult;
import org.fieldops.store.Database;
import org.fieldops.store.ExportEntity;
import org.fieldops.store.support.GuardedPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox records to the configured accounting connector: claims due records with a lease
 * (so several nodes never deliver one at once), calls the connector outside any transaction with a
 * time bound on the connector's own pool behind a circuit breaker ({@link GuardedPlugin}), and
 * records the result: DONE, FAILED with capped exponential backoff and full jitter, or DEAD after a
 * permanent failure or the last attempt. A connector that throws, hangs or answers nothing counts
 * as a transient failure and is shown FAILING; while its breaker is open, records wait untouched.
 * With no connector of the configured name installed, records wait PENDING with that reason.
 */
final class ExportDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ExportDispatcher.class);

  /** The settings of the retry policy. */
  record Policy(int maxAttempts, Duration base, Duration cap, Duration timeout, Duration lease) {}

  /** What the dispatcher needs of the rest of billing. */
  interface Source {
    Invoice invoice(String id);

    Customer customer(String id);
  }

  static final GuardedPlugin.Guard GUARD =
      new GuardedPlugin.Guard(
          PluginKind.ACCOUNTING_CONNECTOR,
          "a transient failure",
          Duration.ofSeconds(30),
          5,
          Duration.ofSeconds(60),
          2,
          8);

  private final Database db;
  private final Clock clock;
  private final Source source;
  private final String node = "node-" + java.util.UUID.randomUUID();
  private final Map<String, GuardedPlugin<AccountingConnector>> connectors =
      new ConcurrentHashMap<>();
  private volatile Policy policy;
  private volatile String active;

  ExportDispatcher(Database db, Clock clock, Source source, Policy policy, String name) {
    this.db = db;
    this.clock = clock;
    this.source = source;
    configure(policy, name);
  }

  void configure(Policy policy, String name) {
    this.policy = policy;
    this.active = name == null ? "" : name.strip();
  }

  void add(String name, AccountingConnector c, Map<String, ?> props) {
    GuardedPlugin<AccountingConnector> replaced =
        connectors.put(name, new GuardedPlugin<>(c, name, props, GUARD, clock));
    if (replaced != null) {
      replaced.close();
    }
  }

  void remove(String name, AccountingConnector c) {
    GuardedPlugin<AccountingConnector> g = connectors.get(name);
    if (g != null && g.plugin() == c && connectors.remove(name, g)) {
      g.close();
    }
  }

  void close() {
    connectors.values().forEach(GuardedPlugin::close);
    connectors.clear();
  }

  /** The installed connectors by name, the configured one marked selected (GET /plugins). */
  List<PluginInfo> plugins() {
    String selected = active;
    return connectors.values().stream()
        .map(g -> g.info().withSelected(g.name().equals(selected)))
        .sorted(java.util.Comparator.comparing(PluginInfo::name))
        .toList();
  }

  String active() {
    return active;
  }

  boolean installed() {
    return connectors.containsKey(active);
  }

  List<String> names() {
    return connectors.keySet().stream().sorted().toList();
  }

  /** Delivers what is due; returns how many records were attempted. Never throws. */
  int round() {
    int attempted = 0;
    try {
      Instant now = clock.instant();
      List<String> due =
          db.read(
              em ->
                  em.createQuery(
                          "SELECT e.id FROM ExportEntity e WHERE e.status IN :open "
                              + "AND e.nextAttemptAt <= :now "
                              + "AND (e.leaseUntil IS NULL OR e.leaseUntil < :now) "
                              + "ORDER BY e.nextAttemptAt",
                          String.class)
                      .setParameter("open", List.of("PENDING", "FAILED"))
                      .setParameter("now", now)
                      .setMaxResults(20)
                      .getResultList());
      for (String id : due) {
        if (deliver(id)) {
          attempted++;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Export dispatcher round failed; retrying: {}", e.toString());
    }
    return attempted;
  }

  /** One attempt at one record, if it can be claimed. */
  boolean deliver(String id) {
    String name = active;
    GuardedPlugin<AccountingConnector> connector = name.isEmpty() ? null : connectors.get(name);
    if (connector == null) {
      String why =
          name.isEmpty()
              ? "no accounting connector configured (connector in etc/org.fieldops.billing.cfg)"
              : "no accounting connector named '" + name + "' is installed";
      db.inTransaction(
          em -> {
            ExportEntity e = em.find(ExportEntity.class, id);
            if (e != null && "PENDING".equals(e.status) && !why.equals(e.lastError)) {
              e.lastError = why;
              e.connector = name.isEmpty() ? null : name;
            }
            return null;
          });
      return false;
    }
    if (connector.skipping()) {
      return false; // its breaker is open: the record waits, no attempt used
    }
    Instant now = clock.instant();
    int claimed =
        db.inTransaction(
            em ->
                em.createQuery(
                        "UPDATE ExportEntity e SET e.leaseHolder = :node, e.leaseUntil = :until, "
                            + "e.version = e.version + 1 WHERE e.id = :id AND e.status IN :open "
                            + "AND (e.leaseUntil IS NULL OR e.leaseUntil < :now)")
                    .setParameter("node", node)
                    .setParameter("until", now.plus(policy.lease()))
                    .setParameter("id", id)
                    .setParameter("open", List.of("PENDING", "FAILED"))
                    .setParameter("now", now)
                    .executeUpdate());
    if (claimed != 1) {
      return false; // another node has it
    }
    ExportEntity record = db.read(em -> em.find(ExportEntity.class, id));
    ExportResult result = call(connector, name, record);
    settle(id, name, result);
    return true;
  }

  private ExportResult call(
      GuardedPlugin<AccountingConnector> connector, String name, ExportEntity record) {
    Invoice invoice;
    Customer customer;
    try {
      invoice = source.invoice(record.invoiceId);
      customer = source.customer(invoice.customerId());
    } catch (RuntimeException e) {
      return ExportResult.transientFailure("could not start the delivery: " + e, null);
    }
    boolean isVoid = "VOID".equals(record.kind);
    String key = isVoid ? record.invoiceNumber + ":VOID" : record.invoiceNumber;
    GuardedPlugin.Call<ExportResult> call =
        connector.call(
            c ->
                isVoid
                    ? c.voidInvoice(invoice, customer, key)
                    : c.exportInvoice(invoice, customer, key),
            policy.timeout());
    if (!call.ok()) {
      String why = call.failure();
      return ExportResult.transientFailure(
          "connector '"
              + name
              + (why.startsWith("no answer") ? "' gave " + why : "' failed: " + why),
          null);
    }
    if (call.value() == null) {
      connector.reject("returned no result");
      return ExportResult.transientFailure("the connector returned nothing", null);
    }
    return call.value();
  }

  private void settle(String id, String name, ExportResult r) {
    db.inTransaction(
        em -> {
          ExportEntity e = em.find(ExportEntity.class, id);
          Instant now = clock.instant();
          e.attempts++;
          e.connector = name;
          e.leaseHolder = null;
          e.leaseUntil = null;
          switch (r.kind()) {
            case SUCCESS -> {
              e.status = "DONE";
              e.doneAt = now;
              e.externalId = truncate(r.externalId(), 200);
              e.lastError = null;
            }
            case PERMANENT -> {
              e.status = "DEAD";
              e.lastError = truncate(message(r), 2000);
            }
            default -> {
              e.lastError = truncate(message(r), 2000);
              if (e.attempts >= policy.maxAttempts()) {
                e.status = "DEAD";
              } else {
                e.status = "FAILED";
                Duration wait = backoff(e.attempts, policy.base(), policy.cap());
                if (r.retryAfter() != null && r.retryAfter().compareTo(wait) > 0) {
                  wait = r.retryAfter().compareTo(policy.cap()) > 0 ? policy.cap() : r.retryAfter();
                }
                e.nextAttemptAt = now.plus(wait);
              }
            }
          }
          return null;
        });
  }

  /** Full jitter: a random wait in [0, min(cap, base × 2^(attempt - 1))]. */
  static Duration backoff(int attempt, Duration base, Duration cap) {
    long ceiling = base.toMillis() << Math.min(30, Math.max(0, attempt - 1));
    ceiling = Math.min(cap.toMillis(), ceiling < 0 ? Long.MAX_VALUE : ceiling);
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }

  private static String message(ExportResult r) {
    return r.message() == null ? r.kind().name().toLowerCase(java.util.Locale.ROOT) : r.message();
  }

  private static String truncate(String v, int max) {
    return v == null || v.length() <= max ? v : v.substring(0, max);
  }
}
