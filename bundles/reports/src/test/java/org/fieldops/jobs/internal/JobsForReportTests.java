package org.fieldops.jobs.internal;

import java.time.Clock;
import java.time.ZoneId;
import org.fieldops.api.pricebook.PriceBookService;
import org.fieldops.store.Database;

/** The real jobs service on a test clock and business zone, for the reports' fixture day. */
public final class JobsForReportTests {
  private JobsForReportTests() {}

  /** Fills the completion rows a database lacks, as after an upgrade; returns how many. */
  public static int backfillCompletions(Database db) {
    return CompletionBackfill.fill(db, () -> false);
  }

  public static WorkOrderServiceImpl workOrders(
      Database db, PriceBookService prices, Clock clock, ZoneId zone) {
    return new WorkOrderServiceImpl(db, prices, new ChecklistRegistry(), clock, zone);
  }
}
