package org.fieldops.billing.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceLine;
import org.fieldops.api.billing.InvoiceLineKind;
import org.fieldops.api.billing.InvoiceStatus;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.security.Caller;
import org.fieldops.store.ConcurrentUpdateException;
import org.fieldops.store.CounterEntity;
import org.fieldops.store.CustomerEntity;
import org.fieldops.store.Database;
import org.fieldops.store.ExportEntity;
import org.fieldops.store.Ids;
import org.fieldops.store.InvoiceAuditEntity;
import org.fieldops.store.InvoiceEntity;
import org.fieldops.store.InvoiceLineEntity;
import org.fieldops.store.support.Checks;

/**
 * Drafting and the invoice lifecycle. Every state change is one transaction; approval takes the
 * number from a locked counter row in the same transaction as the job's move to INVOICED and the
 * outbox record, so a failure anywhere leaves no gap.
 */
final class Invoices {
  static final Set<String> DRAFTABLE = Set.of("COMPLETED", "INVOICED", "CLOSED");
  static final String MISMATCH = "CURRENCY_MISMATCH";

  private final Database db;
  private final JobService jobs;
  private final Clock clock;
  private volatile int incrementMinutes;
  private volatile String connector;

  Invoices(Database db, JobService jobs, Clock clock, int incrementMinutes, String connector) {
    this.db = db;
    this.jobs = jobs;
    this.clock = clock;
    configure(incrementMinutes, connector);
  }

  void configure(int incrementMinutes, String connector) {
    this.incrementMinutes = Math.max(1, incrementMinutes);
    this.connector = connector == null ? "" : connector.strip();
  }

  String connector() {
    return connector;
  }

  // ---------------------------------------------------------------- drafting

  /** Drafts or refreshes the job's invoice; retried on races. Null if the job is not billable. */
  Invoice draftFor(String jobId) {
    for (int attempt = 1; ; attempt++) {
      try {
        return draftOnce(jobId);
      } catch (ConcurrentUpdateException | javax.persistence.PersistenceException raced) {
        // another node drafted it at the same moment (unique active job) or refreshed it first
        if (attempt >= 5) {
          throw raced;
        }
      }
    }
  }

  private Invoice draftOnce(String jobId) {
    WorkOrder job;
    try {
      job = jobs.get(jobId);
    } catch (NotFoundException gone) {
      return null;
    }
    Drafting.Drafted drafted = Drafting.linesOf(job, incrementMinutes);
    String id =
        db.inTransaction(
            em -> {
              InvoiceEntity inv = active(em, jobId, true);
              if (inv == null) {
                if (!DRAFTABLE.contains(job.status().name())) {
                  return null; // re-opened before its first draft: drafted at the completion
                }
                CustomerEntity c = em.find(CustomerEntity.class, job.customerId());
                inv = new InvoiceEntity();
                inv.id = Ids.next();
                inv.jobId = jobId;
                inv.activeJobId = jobId;
                inv.customerId = job.customerId();
                inv.status = InvoiceStatus.DRAFT.name();
                inv.currency = c.currency;
                inv.taxRate = c.taxRate == null ? BigDecimal.ZERO : c.taxRate;
                inv.createdAt = clock.instant();
                // totals and flags before the first write: a new draft is version 1
                BigDecimal subtotal = BigDecimal.ZERO;
                for (InvoiceLine l : drafted.lines()) {
                  subtotal = subtotal.add(l.amount());
                }
                inv.subtotal = Money.cents(subtotal);
                inv.tax = Money.tax(inv.subtotal, inv.taxRate);
                inv.total = inv.subtotal.add(inv.tax);
                inv.flags =
                    drafted.currencies().stream().anyMatch(cur -> !cur.equals(c.currency))
                        ? MISMATCH
                        : null;
                stamp(inv, "system");
                em.persist(inv);
                em.flush(); // the unique active job is checked here, and the lines may refer to it
                replaceDrafted(em, inv, drafted);
                audit(em, inv.id, "system", "drafted", drafted.lines().size() + " lines");
                return inv.id;
              }
              if (InvoiceStatus.DRAFT.name().equals(inv.status)) {
                if (replaceDrafted(em, inv, drafted)) {
                  stamp(inv, "system");
                  audit(em, inv.id, "system", "refreshed", drafted.lines().size() + " lines");
                }
              }
              return inv.id;
            });
    return id == null ? null : get(id);
  }

  /**
   * Replaces the drafted (non-adjustment) lines by {@code drafted}, keeping finance's adjustments;
   * returns whether anything changed.
   */
  private boolean replaceDrafted(EntityManager em, InvoiceEntity inv, Drafting.Drafted drafted) {
    List<InvoiceLineEntity> existing = lines(em, inv.id);
    List<InvoiceLine> before =
        existing.stream()
            .filter(l -> !InvoiceLineKind.ADJUSTMENT.name().equals(l.kind))
            .map(Invoices::toLine)
            .map(
                l ->
                    new InvoiceLine(
                        null,
                        l.kind(),
                        l.description(),
                        l.quantity(),
                        l.unitPrice(),
                        l.amount(),
                        l.sourceLineId()))
            .toList();
    List<InvoiceLine> after =
        drafted.lines().stream()
            .map(
                l ->
                    new InvoiceLine(
                        null,
                        l.kind(),
                        l.description(),
                        strip(l.quantity()),
                        strip(l.unitPrice()),
                        l.amount(),
                        l.sourceLineId()))
            .toList();
    List<InvoiceLine> beforeStripped =
        before.stream()
            .map(
                l ->
                    new InvoiceLine(
                        null,
                        l.kind(),
                        l.description(),
                        strip(l.quantity()),
                        strip(l.unitPrice()),
                        l.amount(),
                        l.sourceLineId()))
            .toList();
    boolean flagged =
        drafted.currencies().stream()
            .anyMatch(c -> inv.currency != null && !c.equals(inv.currency));
    String flags = flagged ? MISMATCH : null;
    if (!existing.isEmpty()
        && beforeStripped.equals(after)
        && java.util.Objects.equals(flags, inv.flags)) {
      return false;
    }
    List<InvoiceLineEntity> adjustments = new ArrayList<>();
    for (InvoiceLineEntity l : existing) {
      if (InvoiceLineKind.ADJUSTMENT.name().equals(l.kind)) {
        adjustments.add(l);
      } else {
        em.remove(l);
      }
    }
    int position = 0;
    List<InvoiceLineEntity> all = new ArrayList<>();
    for (InvoiceLine l : drafted.lines()) {
      InvoiceLineEntity e = new InvoiceLineEntity();
      e.id = Ids.next();
      e.invoiceId = inv.id;
      e.position = position++;
      e.kind = l.kind().name();
      e.description = l.description();
      e.quantity = l.quantity();
      e.unitPrice = l.unitPrice();
      e.amount = l.amount();
      e.sourceLineId = l.sourceLineId();
      em.persist(e);
      all.add(e);
    }
    for (InvoiceLineEntity a : adjustments) {
      a.position = position++;
      all.add(a);
    }
    inv.flags = flags;
    totals(inv, all);
    return true;
  }

  private static BigDecimal strip(BigDecimal v) {
    return v == null ? null : v.stripTrailingZeros();
  }

  private static void totals(InvoiceEntity inv, List<InvoiceLineEntity> lines) {
    BigDecimal subtotal = BigDecimal.ZERO;
    for (InvoiceLineEntity l : lines) {
      subtotal = subtotal.add(l.amount);
    }
    inv.subtotal = Money.cents(subtotal);
    inv.tax = Money.tax(inv.subtotal, inv.taxRate);
    inv.total = inv.subtotal.add(inv.tax);
  }

  // ---------------------------------------------------------------- reading

  Invoice get(String id) {
    return db.read(
        em -> {
          InvoiceEntity inv = id == null ? null : em.find(InvoiceEntity.class, id);
          if (inv == null) {
            throw new NotFoundException("invoice", id);
          }
          return toRecord(em, inv);
        });
  }

  Invoice toRecord(EntityManager em, InvoiceEntity inv) {
    List<InvoiceLine> lines = lines(em, inv.id).stream().map(Invoices::toLine).toList();
    List<InvoiceLine> pending = List.of();
    if (InvoiceStatus.APPROVED.name().equals(inv.status)
        || InvoiceStatus.SENT.name().equals(inv.status)) {
      Set<String> billed = new HashSet<>();
      lines.forEach(l -> billed.add(l.sourceLineId()));
      try {
        pending =
            Drafting.linesOf(jobs.get(inv.jobId), incrementMinutes).lines().stream()
                .filter(l -> !billed.contains(l.sourceLineId()))
                .toList();
      } catch (NotFoundException gone) {
        pending = List.of();
      }
    }
    return new Invoice(
        inv.id,
        inv.number,
        inv.jobId,
        inv.customerId,
        InvoiceStatus.valueOf(inv.status),
        inv.currency,
        lines,
        inv.subtotal,
        inv.taxRate,
        inv.tax,
        inv.total,
        pending,
        inv.flags == null ? List.of() : List.of(inv.flags.split(",")),
        inv.version,
        inv.createdAt,
        inv.updatedAt,
        inv.approvedAt,
        inv.approvedBy,
        inv.sentAt,
        inv.voidedAt);
  }

  static InvoiceLine toLine(InvoiceLineEntity l) {
    return new InvoiceLine(
        l.id,
        InvoiceLineKind.valueOf(l.kind),
        l.description,
        l.quantity.stripTrailingZeros().scale() < 0
            ? l.quantity.setScale(0)
            : l.quantity.stripTrailingZeros(),
        Money.cents(l.unitPrice).compareTo(l.unitPrice) == 0
            ? Money.cents(l.unitPrice)
            : l.unitPrice,
        Money.cents(l.amount),
        l.sourceLineId);
  }

  static List<InvoiceLineEntity> lines(EntityManager em, String invoiceId) {
    return em.createQuery(
            "SELECT l FROM InvoiceLineEntity l WHERE l.invoiceId = :i ORDER BY l.position",
            InvoiceLineEntity.class)
        .setParameter("i", invoiceId)
        .getResultList();
  }

  private static InvoiceEntity active(EntityManager em, String jobId, boolean lock) {
    List<InvoiceEntity> found =
        em.createQuery(
                "SELECT i FROM InvoiceEntity i WHERE i.activeJobId = :job", InvoiceEntity.class)
            .setParameter("job", jobId)
            .getResultList();
    if (found.isEmpty()) {
      return null;
    }
    return lock
        ? em.find(InvoiceEntity.class, found.get(0).id, LockModeType.PESSIMISTIC_WRITE)
        : found.get(0);
  }

  // ---------------------------------------------------------------- lifecycle

  Invoice update(String id, long expectedVersion, Map<String, Object> patch, Caller caller) {
    Checks checks = new Checks();
    if (patch == null) {
      throw ValidationException.of("body", "must be a JSON object");
    }
    for (String key : patch.keySet()) {
      if (!"adjustments".equals(key)) {
        checks.add(key, "cannot be changed; a draft takes only adjustments");
      }
    }
    checks.throwIfAny();
    List<InvoiceLine> adjustments = adjustments(patch.get("adjustments"));
    return change(
        id,
        expectedVersion,
        caller,
        "adjusted",
        (em, inv) -> {
          requireStatus(inv, InvoiceStatus.DRAFT, "adjusted");
          List<InvoiceLineEntity> keep = new ArrayList<>();
          for (InvoiceLineEntity l : lines(em, inv.id)) {
            if (InvoiceLineKind.ADJUSTMENT.name().equals(l.kind)) {
              em.remove(l);
            } else {
              keep.add(l);
            }
          }
          int position = keep.size();
          for (InvoiceLine a : adjustments) {
            InvoiceLineEntity e = new InvoiceLineEntity();
            e.id = Ids.next();
            e.invoiceId = inv.id;
            e.position = position++;
            e.kind = InvoiceLineKind.ADJUSTMENT.name();
            e.description = a.description();
            e.quantity = a.quantity();
            e.unitPrice = a.unitPrice();
            e.amount = a.amount();
            em.persist(e);
            keep.add(e);
          }
          totals(inv, keep);
          return adjustments.size() + " adjustment lines";
        });
  }

  private static List<InvoiceLine> adjustments(Object value) {
    Checks checks = new Checks();
    if (!(value instanceof List<?> list) || list.size() > 100) {
      throw ValidationException.of("adjustments", "must be a list of at most 100 adjustments");
    }
    List<InvoiceLine> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "adjustments[" + i + "].";
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        checks.add(
            "adjustments[" + i + "]", "must be an object {description, quantity, unitPrice}");
        continue;
      }
      for (Object k : m.keySet()) {
        if (!List.of("description", "quantity", "unitPrice").contains(k)) {
          checks.add(at + k, "is not a field of an adjustment");
        }
      }
      Object d = m.get("description");
      boolean okText = d instanceof String s && !s.isBlank() && s.length() <= 10_000;
      checks.check(okText, at + "description", "is required (at most 10,000 characters)");
      BigDecimal quantity = decimal(m.get("quantity"), BigDecimal.ONE);
      BigDecimal unitPrice = decimal(m.get("unitPrice"), null);
      checks.check(
          quantity != null
              && quantity.signum() > 0
              && quantity.scale() <= 4
              && quantity.precision() - quantity.scale() <= 10,
          at + "quantity",
          "must be a positive decimal (at most 4 decimals)");
      checks.check(
          unitPrice != null
              && unitPrice.scale() <= 4
              && unitPrice.precision() - unitPrice.scale() <= 12,
          at + "unitPrice",
          "is required: a decimal string such as \"-25.00\" (negative for a credit)");
      if (okText && quantity != null && unitPrice != null && quantity.signum() > 0) {
        out.add(
            new InvoiceLine(
                null,
                InvoiceLineKind.ADJUSTMENT,
                (String) d,
                quantity,
                unitPrice,
                Money.amount(quantity, unitPrice),
                null));
      }
    }
    checks.throwIfAny();
    return out;
  }

  private static BigDecimal decimal(Object v, BigDecimal missing) {
    if (v == null) {
      return missing;
    }
    try {
      return v instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(v.toString());
    } catch (NumberFormatException bad) {
      return null;
    }
  }

  Invoice approve(String id, Long expectedVersion, Caller caller) {
    return change(
        id,
        expectedVersion == null ? -1 : expectedVersion,
        caller,
        "approved",
        (em, inv) -> {
          requireStatus(inv, InvoiceStatus.DRAFT, "approved");
          CounterEntity counter =
              em.find(CounterEntity.class, "invoice", LockModeType.PESSIMISTIC_WRITE);
          inv.number = String.format("INV-%06d", counter.next);
          counter.next++;
          inv.status = InvoiceStatus.APPROVED.name();
          inv.approvedAt = clock.instant();
          inv.approvedBy = caller.username();
          WorkOrder job = jobs.get(inv.jobId);
          if (job.status() == JobStatus.COMPLETED) {
            jobs.systemTransition(inv.jobId, JobStatus.INVOICED, "invoice " + inv.number, caller);
          } else if (job.status() != JobStatus.INVOICED) {
            // INVOICED: its earlier invoice was voided and this one replaces it
            throw new StateConflictException(
                "the job is " + job.status() + ", not COMPLETED: it cannot be invoiced now",
                List.of());
          }
          queue(em, inv, "INVOICE");
          return inv.number;
        });
  }

  Invoice send(String id, Long expectedVersion, Caller caller) {
    return change(
        id,
        expectedVersion == null ? -1 : expectedVersion,
        caller,
        "sent",
        (em, inv) -> {
          requireStatus(inv, InvoiceStatus.APPROVED, "sent");
          inv.status = InvoiceStatus.SENT.name();
          inv.sentAt = clock.instant();
          jobs.systemTransition(
              inv.jobId, JobStatus.CLOSED, "invoice " + inv.number + " sent", caller);
          return inv.number;
        });
  }

  Invoice voidInvoice(String id, Long expectedVersion, String reason, Caller caller) {
    if (reason != null && reason.length() > 10_000) {
      throw ValidationException.of("reason", "is at most 10,000 characters");
    }
    return change(
        id,
        expectedVersion == null ? -1 : expectedVersion,
        caller,
        "voided",
        (em, inv) -> {
          if (InvoiceStatus.VOID.name().equals(inv.status)) {
            throw new StateConflictException("the invoice is already VOID", List.of());
          }
          boolean exported = inv.number != null;
          inv.status = InvoiceStatus.VOID.name();
          inv.activeJobId = null;
          inv.voidedAt = clock.instant();
          if (exported) {
            queue(em, inv, "VOID");
          }
          return reason;
        });
  }

  private void queue(EntityManager em, InvoiceEntity inv, String kind) {
    ExportEntity e = new ExportEntity();
    e.id = Ids.next();
    e.invoiceId = inv.id;
    e.invoiceNumber = inv.number;
    e.kind = kind;
    e.status = "PENDING";
    e.attempts = 0;
    e.nextAttemptAt = clock.instant();
    e.connector = connector.isEmpty() ? null : connector;
    e.createdAt = clock.instant();
    em.persist(e);
  }

  private static void requireStatus(InvoiceEntity inv, InvoiceStatus wanted, String verb) {
    if (!wanted.name().equals(inv.status)) {
      throw new StateConflictException(
          "the invoice is " + inv.status + "; only a " + wanted + " invoice can be " + verb,
          List.of());
    }
  }

  /** One change of one invoice in one transaction, version-checked, audited. */
  private Invoice change(
      String id,
      long expectedVersion,
      Caller caller,
      String action,
      java.util.function.BiFunction<EntityManager, InvoiceEntity, String> work) {
    try {
      String changed =
          db.inTransaction(
              em -> {
                InvoiceEntity inv =
                    id == null
                        ? null
                        : em.find(InvoiceEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
                if (inv == null) {
                  throw new NotFoundException("invoice", id);
                }
                if (expectedVersion >= 1 && inv.version != expectedVersion) {
                  throw new VersionMismatchException(expectedVersion, inv.version);
                }
                // stamped first: the work may flush (the job's move), and a change after that
                // flush would cost the invoice a second version
                stamp(inv, caller.username());
                String detail = work.apply(em, inv);
                audit(em, inv.id, caller.username(), action, detail);
                em.flush();
                return inv.id;
              });
      return get(changed);
    } catch (ConcurrentUpdateException raced) {
      long current = db.read(em -> em.find(InvoiceEntity.class, id).version);
      throw new VersionMismatchException(expectedVersion, current);
    }
  }

  private void stamp(InvoiceEntity inv, String by) {
    inv.updatedAt = clock.instant();
    inv.updatedBy = by;
  }

  private void audit(
      EntityManager em, String invoiceId, String actor, String action, String detail) {
    InvoiceAuditEntity a = new InvoiceAuditEntity();
    a.id = Ids.next();
    a.invoiceId = invoiceId;
    a.at = clock.instant();
    a.actor = actor;
    a.action = action;
    a.detail = detail;
    em.persist(a);
  }

  /** Invoices in id (creation) order, oldest first, for listings. */
  static Comparator<InvoiceEntity> byId() {
    return Comparator.comparing(i -> i.id);
  }

  Instant now() {
    return clock.instant();
  }
}
