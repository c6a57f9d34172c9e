package org.fieldops.api.billing;

import java.util.Map;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** Invoices: drafts from completed jobs, finance's adjustments and the lifecycle. */
@ProviderType
public interface InvoiceService {

  /** Invoices, oldest first, optionally by status and job. */
  Page<Invoice> list(InvoiceStatus status, String jobId, PageRequest page);

  /**
   * @throws org.fieldops.api.NotFoundException
   */
  Invoice get(String id);

  /**
   * Finance edits a draft: {@code {"adjustments": [{description, quantity, unitPrice}]}} replaces
   * the draft's adjustment lines (audited).
   *
   * @throws org.fieldops.api.VersionMismatchException if {@code expectedVersion} is stale
   * @throws org.fieldops.api.StateConflictException if the invoice is no longer a draft
   */
  Invoice update(String id, long expectedVersion, Map<String, Object> patch, Caller caller);

  /**
   * Approves a draft: assigns the next gapless number, moves the job to INVOICED and queues the
   * export, in one transaction.
   *
   * @param expectedVersion the version seen, or {@code null}
   * @throws org.fieldops.api.StateConflictException if not a draft (a second approval too)
   */
  Invoice approve(String id, Long expectedVersion, Caller caller);

  /** Marks an approved invoice SENT and moves the job to CLOSED. */
  Invoice send(String id, Long expectedVersion, Caller caller);

  /** Voids an invoice; an approved or sent one gets a void export queued. */
  Invoice voidInvoice(String id, Long expectedVersion, String reason, Caller caller);

  /** The invoice as a PDF document. */
  byte[] document(String id);

  /**
   * Drafts or refreshes the job's invoice from its billing requests now (normally done by the
   * billing worker within a second of the completion). Idempotent.
   *
   * @return the job's non-VOID invoice, or {@code null} if the job is not billable
   */
  Invoice draftFor(String jobId);

  /** Outbox records, newest first, optionally by status. */
  Page<ExportRecord> exports(String status, PageRequest page);

  /**
   * Queues a FAILED or DEAD export again now.
   *
   * @throws org.fieldops.api.StateConflictException from DONE (or PENDING)
   */
  ExportRecord retryExport(String id, Caller caller);

  /** The configured connector and whether it is installed, for the plugins listing. */
  Map<String, Object> connectorState();
}
