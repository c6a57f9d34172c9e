package org.fieldops.sample.accounting.csv.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fieldops.api.billing.Invoice;
import org.fieldops.api.master.Customer;
import org.fieldops.spi.accounting.AccountingConnector;
import org.fieldops.spi.accounting.ExportResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sample {@link AccountingConnector} named {@code csv}: approved invoices and voids become rows of
 * a dated CSV journal ({@code journal-YYYY-MM-DD.csv}, see {@link CsvJournal} and {@link
 * JournalRows}) in a configured folder, for an accountant to import.
 *
 * <p>Results: SUCCESS with the journal's file name as external id, also when the key is in a
 * journal already (nothing is written twice); TRANSIENT when the folder cannot be written (full
 * disk, permissions, lock busy); PERMANENT when a journal in the folder is unreadable or has an
 * unexpected header (someone edited it: a person must look), or the folder setting names an unknown
 * system property.
 *
 * <p>Configuration {@code etc/org.fieldops.sample.accounting.csv.cfg}; a change applies to the next
 * write without restart.
 */
@Component(
    service = AccountingConnector.class,
    configurationPid = CsvAccountingConnector.PID,
    property = AccountingConnector.NAME + "=" + CsvAccountingConnector.NAME)
@Designate(ocd = CsvAccountingConnector.Config.class)
public class CsvAccountingConnector implements AccountingConnector {
  static final String PID = "org.fieldops.sample.accounting.csv";
  static final String NAME = "csv";
  private static final Logger LOG = LoggerFactory.getLogger(CsvAccountingConnector.class);
  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
  private static final long LOCK_WAIT_MILLIS = 10_000;

  @ObjectClassDefinition(
      name = "FieldOps sample: CSV accounting journal",
      description = "Writes approved and voided invoices to dated CSV journals")
  public @interface Config {
    @AttributeDefinition(
        description =
            "Folder of the journals (created if missing); ${...} system properties are expanded")
    String folder() default "${karaf.data}/accounting-csv";

    @AttributeDefinition(
        description = "Time zone of the journal's dates and file names, e.g. America/Chicago")
    String zone() default "UTC";
  }

  private final CsvJournal journal;
  private volatile String configError;

  @Activate
  public CsvAccountingConnector(Config config) throws InterruptedException {
    this(Path.of("."), ZoneOffset.UTC, Clock.systemUTC());
    modified(config);
  }

  CsvAccountingConnector(Path folder, ZoneId zone, Clock clock) {
    this.journal = new CsvJournal(folder, zone, clock, LOCK_WAIT_MILLIS);
  }

  @Modified
  void modified(Config config) throws InterruptedException {
    ZoneId zone;
    try {
      zone = ZoneId.of(config.zone().strip());
    } catch (DateTimeException e) {
      LOG.warn("Unknown zone '{}' in {}; using UTC", config.zone(), PID);
      zone = ZoneOffset.UTC;
    }
    try {
      Path folder = Path.of(expand(config.folder().strip()));
      journal.configure(folder, zone);
      configError = null;
      LOG.info("CSV accounting journals in {} ({})", folder.toAbsolutePath(), zone);
    } catch (IllegalArgumentException e) {
      configError = e.getMessage();
      LOG.warn("{}: {}", PID, configError);
    }
  }

  @Override
  public ExportResult exportInvoice(Invoice invoice, Customer customer, String idempotencyKey) {
    return write(invoice, customer, idempotencyKey, false);
  }

  @Override
  public ExportResult voidInvoice(Invoice invoice, Customer customer, String idempotencyKey) {
    return write(invoice, customer, idempotencyKey, true);
  }

  private ExportResult write(Invoice invoice, Customer customer, String key, boolean isVoid) {
    if (configError != null) {
      return ExportResult.permanentFailure("csv connector misconfigured: " + configError);
    }
    if (key == null || key.isBlank()) {
      return ExportResult.permanentFailure("no idempotency key");
    }
    try {
      CsvJournal.Outcome o =
          journal.append(
              key, (zone, now) -> JournalRows.rows(invoice, customer, key, isVoid, zone, now));
      String file = o.file().getFileName().toString();
      if (o.written()) {
        LOG.info("{} written to {}", key, o.file());
      } else {
        LOG.info("{} is in {} already; not written again", key, o.file());
      }
      return ExportResult.success(file);
    } catch (CsvJournal.UnusableJournalException e) {
      return ExportResult.permanentFailure(e.getMessage());
    } catch (IOException e) {
      return ExportResult.transientFailure(
          "cannot write the journal in " + journal.folder() + ": " + e, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExportResult.transientFailure("interrupted while writing the journal", null);
    }
  }

  /** Replaces {@code ${name}} by the system property. */
  static String expand(String value) {
    Matcher m = PROPERTY.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = System.getProperty(m.group(1));
      if (v == null) {
        throw new IllegalArgumentException(
            "folder '" + value + "' names an unknown system property " + m.group(1));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }
}
