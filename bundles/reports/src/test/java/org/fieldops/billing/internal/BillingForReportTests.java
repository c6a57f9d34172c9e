package org.fieldops.billing.internal;

import java.lang.annotation.Annotation;
import java.time.Clock;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.master.CustomerService;
import org.fieldops.store.Database;

/** The real billing service on a test clock (no background worker), for the reports' fixture. */
public final class BillingForReportTests {
  private BillingForReportTests() {}

  public static InvoiceServiceImpl invoices(
      Database db, JobService jobs, CustomerService customers, Clock clock) {
    return new InvoiceServiceImpl(db, jobs, customers, clock, config());
  }

  public static void close(InvoiceServiceImpl billing) {
    billing.deactivate();
  }

  private static InvoiceServiceImpl.Config config() {
    return new InvoiceServiceImpl.Config() {
      @Override
      public int billingIncrementMinutes() {
        return 15;
      }

      @Override
      public String connector() {
        return "none";
      }

      @Override
      public int maxAttempts() {
        return 3;
      }

      @Override
      public int backoffBaseSeconds() {
        return 1;
      }

      @Override
      public int backoffCapSeconds() {
        return 60;
      }

      @Override
      public int connectorTimeoutSeconds() {
        return 5;
      }

      @Override
      public int pollMillis() {
        return 250;
      }

      @Override
      public Class<? extends Annotation> annotationType() {
        return InvoiceServiceImpl.Config.class;
      }
    };
  }
}
