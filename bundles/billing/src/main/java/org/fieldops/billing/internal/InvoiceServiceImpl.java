package org.fieldops.billing.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.billing.ExportRecord;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.billing.InvoiceService;
import org.fieldops.api.billing.InvoiceStatus;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.master.Customer;
import org.fieldops.api.master.CustomerService;
import org.fieldops.api.platform.PluginInfo;
import org.fieldops.api.platform.PluginKind;
import org.fieldops.api.platform.PluginStatus;
import org.fieldops.api.security.Caller;
import org.fieldops.spi.accounting.AccountingConnector;
import org.fieldops.store.Database;
import org.fieldops.store.ExportEntity;
import org.fieldops.store.InvoiceEntity;
import org.fieldops.store.support.Paging;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Billing: the worker that turns billing requests (written with completions) into drafts within a
 * second, the invoice lifecycle, and the outbox dispatcher feeding the configured accounting
 * connector. Configuration {@code etc/org.fieldops.billing.cfg}; changes apply without restart.
 */
@Component(
    service = {InvoiceService.class, PluginStatus.class},
    immediate = true,
    configurationPid = "org.fieldops.billing")
@Designate(ocd = InvoiceServiceImpl.Config.class)
public class InvoiceServiceImpl implements InvoiceService, PluginStatus {
  private static final Logger LOG = LoggerFactory.getLogger(InvoiceServiceImpl.class);

  @ObjectClassDefinition(name = "FieldOps billing", description = "Invoices and accounting exports")
  public @interface Config {
    @AttributeDefinition(description = "Labor is billed in started increments of these minutes")
    int billingIncrementMinutes() default 15;

    @AttributeDefinition(
        description = "The accounting connector to deliver to (its fieldops.connector.name)")
    String connector() default "";

    @AttributeDefinition(description = "Delivery attempts before an export is DEAD")
    int maxAttempts() default 8;

    @AttributeDefinition(description = "First retry wait ceiling in seconds (doubles each time)")
    int backoffBaseSeconds() default 10;

    @AttributeDefinition(description = "Longest retry wait in seconds")
    int backoffCapSeconds() default 3600;

    @AttributeDefinition(description = "Seconds a connector call may take")
    int connectorTimeoutSeconds() default 30;

    @AttributeDefinition(description = "Milliseconds between two rounds of the worker")
    int pollMillis() default 250;
  }

  private final Database db;
  private final JobService jobs;
  private final CustomerService customers;
  private final Invoices invoices;
  private final ExportDispatcher dispatcher;
  private final ScheduledExecutorService executor;

  @Activate
  public InvoiceServiceImpl(
      @Reference Database db,
      @Reference JobService jobs,
      @Reference CustomerService customers,
      Config config) {
    this(db, jobs, customers, Clock.systemUTC(), config);
    int poll = Math.max(20, config.pollMillis());
    executor.scheduleWithFixedDelay(this::draftRound, poll, poll, TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(
        dispatcher::round, poll, Math.max(poll, 500), TimeUnit.MILLISECONDS);
  }

  InvoiceServiceImpl(
      Database db, JobService jobs, CustomerService customers, Clock clock, Config config) {
    this.db = db;
    this.jobs = jobs;
    this.customers = customers;
    this.invoices =
        new Invoices(db, jobs, clock, config.billingIncrementMinutes(), config.connector());
    this.dispatcher =
        new ExportDispatcher(
            db,
            clock,
            new ExportDispatcher.Source() {
              @Override
              public Invoice invoice(String id) {
                return invoices.get(id);
              }

              @Override
              public Customer customer(String id) {
                return customers.get(id);
              }
            },
            policy(config),
            config.connector());
    this.executor =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "fieldops-billing");
              t.setDaemon(true);
              return t;
            });
  }

  static ExportDispatcher.Policy policy(Config c) {
    return new ExportDispatcher.Policy(
        Math.max(1, c.maxAttempts()),
        Duration.ofSeconds(Math.max(1, c.backoffBaseSeconds())),
        Duration.ofSeconds(Math.max(1, c.backoffCapSeconds())),
        Duration.ofSeconds(Math.max(1, c.connectorTimeoutSeconds())),
        Duration.ofSeconds(Math.max(60, 2L * c.connectorTimeoutSeconds())));
  }

  @Modified
  void modified(Config config) {
    invoices.configure(config.billingIncrementMinutes(), config.connector());
    dispatcher.configure(policy(config), config.connector());
    LOG.info("Billing configuration changed: connector '{}'", config.connector());
  }

  @Deactivate
  void deactivate() {
    executor.shutdownNow();
    dispatcher.close();
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addConnector(AccountingConnector connector, Map<String, Object> props) {
    Object name = props.get(AccountingConnector.NAME);
    if (name instanceof String n && !n.isBlank()) {
      dispatcher.add(n, connector, props);
    } else {
      LOG.warn(
          "Accounting connector {} has no {} property; ignored",
          connector.getClass().getName(),
          AccountingConnector.NAME);
    }
  }

  void removeConnector(AccountingConnector connector, Map<String, Object> props) {
    if (props.get(AccountingConnector.NAME) instanceof String n) {
      dispatcher.remove(n, connector);
    }
  }

  /** Turns pending billing requests into drafts; never throws (the executor would stop). */
  int draftRound() {
    int drafted = 0;
    try {
      List<String> jobIds =
          db.read(
              em ->
                  em.createQuery(
                          "SELECT DISTINCT r.jobId FROM BillingRequestEntity r", String.class)
                      .setMaxResults(100)
                      .getResultList());
      for (String jobId : jobIds) {
        List<String> requests =
            db.read(
                em ->
                    em.createQuery(
                            "SELECT r.id FROM BillingRequestEntity r WHERE r.jobId = :job",
                            String.class)
                        .setParameter("job", jobId)
                        .getResultList());
        invoices.draftFor(jobId);
        db.inTransaction(
            em ->
                em.createQuery("DELETE FROM BillingRequestEntity r WHERE r.id IN :ids")
                    .setParameter("ids", requests)
                    .executeUpdate());
        drafted++;
      }
    } catch (RuntimeException e) {
      LOG.warn("Billing worker round failed; retrying: {}", e.toString());
    }
    return drafted;
  }

  /** One dispatcher round (tests). */
  int dispatchRound() {
    return dispatcher.round();
  }

  ExportDispatcher dispatcher() {
    return dispatcher;
  }

  @Override
  public Page<Invoice> list(InvoiceStatus status, String jobId, PageRequest page) {
    return db.read(
        em -> {
          Paging<InvoiceEntity> p = Paging.of(em, InvoiceEntity.class, "id");
          if (status != null) {
            p.where("e.status = :status", "status", status.name());
          }
          if (jobId != null) {
            p.where("e.jobId = :job", "job", jobId);
          }
          return p.page(page, i -> i.id, i -> invoices.toRecord(em, i));
        });
  }

  @Override
  public Invoice get(String id) {
    return invoices.get(id);
  }

  @Override
  public Invoice update(String id, long expectedVersion, Map<String, Object> patch, Caller caller) {
    return invoices.update(id, expectedVersion, patch, caller);
  }

  @Override
  public Invoice approve(String id, Long expectedVersion, Caller caller) {
    return invoices.approve(id, expectedVersion, caller);
  }

  @Override
  public Invoice send(String id, Long expectedVersion, Caller caller) {
    return invoices.send(id, expectedVersion, caller);
  }

  @Override
  public Invoice voidInvoice(String id, Long expectedVersion, String reason, Caller caller) {
    return invoices.voidInvoice(id, expectedVersion, reason, caller);
  }

  @Override
  public byte[] document(String id) {
    Invoice invoice = invoices.get(id);
    return InvoicePdf.render(invoice, customers.get(invoice.customerId()));
  }

  @Override
  public Invoice draftFor(String jobId) {
    return invoices.draftFor(jobId);
  }

  @Override
  public Page<ExportRecord> exports(String status, PageRequest page) {
    if (status != null && !List.of("PENDING", "DONE", "FAILED", "DEAD").contains(status)) {
      throw ValidationException.of("status", "must be PENDING, DONE, FAILED or DEAD");
    }
    return db.read(
        em -> {
          Paging<ExportEntity> p = Paging.of(em, ExportEntity.class, "id").newestFirst();
          if (status != null) {
            p.where("e.status = :status", "status", status);
          }
          return p.page(page, e -> e.id, InvoiceServiceImpl::toRecord);
        });
  }

  @Override
  public ExportRecord retryExport(String id, Caller caller) {
    return db.inTransaction(
        em -> {
          ExportEntity e = id == null ? null : em.find(ExportEntity.class, id);
          if (e == null) {
            throw new org.fieldops.api.NotFoundException("export", id);
          }
          if (!List.of("FAILED", "DEAD").contains(e.status)) {
            throw new StateConflictException(
                "an export in status " + e.status + " cannot be retried (only FAILED or DEAD)",
                List.of());
          }
          e.status = "PENDING";
          e.nextAttemptAt = invoices.now();
          e.leaseHolder = null;
          e.leaseUntil = null;
          em.flush();
          return toRecord(e);
        });
  }

  @Override
  public Map<String, Object> connectorState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("active", dispatcher.active());
    m.put("installed", dispatcher.installed());
    m.put("available", dispatcher.names());
    return m;
  }

  @Override
  public PluginKind kind() {
    return PluginKind.ACCOUNTING_CONNECTOR;
  }

  /** The installed connectors, the configured one {@code selected} (GET /plugins). */
  @Override
  public List<PluginInfo> plugins() {
    return dispatcher.plugins();
  }

  static ExportRecord toRecord(ExportEntity e) {
    return new ExportRecord(
        e.id,
        e.invoiceId,
        e.invoiceNumber,
        e.kind,
        e.status,
        e.attempts,
        e.lastError,
        e.nextAttemptAt,
        e.connector,
        e.externalId,
        e.createdAt,
        e.doneAt,
        e.version);
  }
}
