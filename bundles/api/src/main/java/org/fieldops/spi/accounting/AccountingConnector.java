package org.fieldops.spi.accounting;

import org.fieldops.api.billing.Invoice;
import org.fieldops.api.master.Customer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Delivers approved invoices (and voids) to an accounting system.
 *
 * <p><b>Selection.</b> Register as an OSGi service with the service property {@value #NAME}; the
 * platform uses the one named by {@code connector} in {@code etc/org.fieldops.billing.cfg} (a
 * change there takes effect without restart). With none installed under that name, exports wait
 * {@code PENDING}, visibly.
 *
 * <p><b>Calls.</b> Only the platform's outbox dispatcher calls a connector: one call per export
 * attempt, never two at once for the same export (several nodes claim an export with a lease), from
 * a small pool of the dispatcher's threads, never inside a database transaction.
 *
 * <p><b>Idempotency.</b> {@code idempotencyKey} is the invoice number (a void uses {@code
 * <number>:VOID}). Delivery is at least once: after a crash or a lost answer the same invoice comes
 * again with the same key, so an implementation must make the second delivery a no-op in the
 * accounting system (send the key as the remote's idempotency key or look the number up first).
 *
 * <p><b>Results.</b> {@link ExportResult.Kind#SUCCESS}: done ({@code DONE}). {@link
 * ExportResult.Kind#TRANSIENT}: retried later with capped exponential backoff and full jitter (not
 * before {@code retryAfter}); after the configured attempts {@code DEAD}. {@link
 * ExportResult.Kind#PERMANENT}: {@code DEAD} at once; finance may retry by hand after fixing the
 * cause. An exception counts as TRANSIENT.
 *
 * <p><b>Time bound and isolation.</b> A call must return within {@code connectorTimeoutSeconds} (30
 * seconds by default); a slower one is abandoned (counted as TRANSIENT) and its thread interrupted.
 * Calls run on a small pool of this connector's own. An exception, a time-out or a {@code null}
 * result is logged with the connector's bundle and shows it FAILING in {@code GET /plugins}; after
 * 5 such failures in a row it is not called for 60 seconds (circuit breaker) and exports wait.
 * Implementations must be thread-safe.
 */
@ConsumerType
public interface AccountingConnector {

  /** The service property naming a connector. */
  String NAME = "fieldops.connector.name";

  /** Delivers an approved invoice. */
  ExportResult exportInvoice(Invoice invoice, Customer customer, String idempotencyKey);

  /** Voids an invoice delivered before (or tells the remote it must not be booked). */
  ExportResult voidInvoice(Invoice invoice, Customer customer, String idempotencyKey);
}
