package org.fieldops.reports.internal;

import static org.fieldops.api.reports.ReportColumn.Type.COUNT;
import static org.fieldops.api.reports.ReportColumn.Type.FLAG;
import static org.fieldops.api.reports.ReportColumn.Type.INSTANT;
import static org.fieldops.api.reports.ReportColumn.Type.MONEY;
import static org.fieldops.api.reports.ReportColumn.Type.NUMBER;
import static org.fieldops.api.reports.ReportColumn.Type.RATIO;
import static org.fieldops.api.reports.ReportColumn.Type.TEXT;
import static org.fieldops.api.reports.ReportDefinition.Audience.FINANCE;
import static org.fieldops.api.reports.ReportDefinition.Audience.OPERATIONS;

import java.util.ArrayList;
import java.util.List;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.reports.ReportColumn;
import org.fieldops.api.reports.ReportDefinition;

/**
 * The reports there are: names, audiences, groupings and columns. Their meaning: docs/reports.md.
 */
final class Definitions {
  static final String JOB_STATUS = "job-status";
  static final String COMPLETIONS = "completions";
  static final String JOB_TIMES = "job-times";
  static final String PARTS = "parts";
  static final String LABOR = "labor";
  static final String REVENUE = "revenue";
  static final String DRAFTS = "drafts";
  static final String SYNC_HEALTH = "sync-health";
  static final String REJECTIONS = "rejection-reasons";

  static final List<ReportDefinition> ALL =
      List.of(
          def(
              JOB_STATUS,
              "Jobs by status",
              "Jobs planned in the range (slot start, else window start) by their current status",
              OPERATIONS,
              List.of("day", "technician", "customer", "jobType"),
              statusColumns()),
          def(
              COMPLETIONS,
              "Completions and first-time fix",
              "Jobs completed in the range (last completion); first-time fix: no later job at the"
                  + " same equipment within 30 days",
              OPERATIONS,
              List.of("technician", "day", "customer", "jobType"),
              List.of(
                  col("completed", "Completed", COUNT),
                  col("withEquipment", "With equipment", COUNT),
                  col("firstTimeFixed", "Fixed first time", COUNT),
                  col("firstTimeFixRate", "First-time fix rate", RATIO))),
          def(
              JOB_TIMES,
              "Travel, time on site and schedule adherence",
              "Jobs completed in the range: travel (EN_ROUTE to ON_SITE), time on site (ON_SITE to"
                  + " COMPLETED without pauses), first arrival against the slot; server clock",
              OPERATIONS,
              List.of("technician", "job", "day", "customer", "jobType"),
              List.of(
                  col("jobs", "Jobs", COUNT),
                  col("travelMinutes", "Travel (min, total)", NUMBER),
                  col("avgTravelMinutes", "Travel (min, per job travelled)", NUMBER),
                  col("onSiteMinutes", "On site (min, total)", NUMBER),
                  col("avgOnSiteMinutes", "On site (min, per job)", NUMBER),
                  col("arrivals", "Arrivals with a slot", COUNT),
                  col("early", "Early", COUNT),
                  col("onTime", "Within slot", COUNT),
                  col("late", "Late", COUNT),
                  col("adherenceRate", "Schedule adherence", RATIO))),
          def(
              PARTS,
              "Parts used",
              "Part lines recorded in the range (not voided): quantity and value at the applied"
                  + " prices",
              OPERATIONS,
              List.of("sku", "technician", "customer", "jobType", "day"),
              List.of(
                  col("sku", "SKU", TEXT),
                  col("name", "Part", TEXT),
                  col("quantity", "Quantity", NUMBER),
                  col("value", "Value", MONEY),
                  col("currency", "Currency", TEXT))),
          def(
              LABOR,
              "Labor hours: logged and billed",
              "Jobs completed in the range: hours of their labor lines, and hours on their"
                  + " (non-void) invoices",
              OPERATIONS,
              List.of("technician", "customer", "jobType", "day"),
              List.of(
                  col("loggedHours", "Logged hours", NUMBER),
                  col("billedHours", "Billed hours", NUMBER),
                  col("billedRatio", "Billed / logged", RATIO))),
          def(
              REVENUE,
              "Revenue",
              "Invoices drafted, approved, sent and voided in the range, by currency (totals"
                  + " with tax)",
              FINANCE,
              List.of("day", "customer", "jobType"),
              List.of(
                  col("currency", "Currency", TEXT),
                  col("invoicedCount", "Drafted", COUNT),
                  col("invoiced", "Drafted total", MONEY),
                  col("approvedCount", "Approved", COUNT),
                  col("approved", "Approved total", MONEY),
                  col("sentCount", "Sent", COUNT),
                  col("sent", "Sent total", MONEY),
                  col("voidedCount", "Voided", COUNT),
                  col("voided", "Voided total", MONEY))),
          def(
              DRAFTS,
              "Open drafts",
              "Invoices drafted in the range and still in DRAFT now, with their age",
              FINANCE,
              List.of("customer", "invoice", "jobType", "day"),
              List.of(
                  col("currency", "Currency", TEXT),
                  col("drafts", "Drafts", COUNT),
                  col("total", "Total", MONEY),
                  col("oldestCreatedAt", "Oldest drafted at", INSTANT),
                  col("oldestAgeDays", "Oldest age (days)", NUMBER),
                  col("avgAgeDays", "Average age (days)", NUMBER))),
          def(
              SYNC_HEALTH,
              "Sync health",
              "Uploads received in the range and their events by outcome; open reviews, last"
                  + " sync and staleness now",
              OPERATIONS,
              List.of("technician", "day"),
              List.of(
                  col("uploads", "Uploads", COUNT),
                  col("events", "Events", COUNT),
                  col("applied", "Applied", COUNT),
                  col("duplicates", "Duplicates", COUNT),
                  col("inReview", "In review", COUNT),
                  col("rejected", "Rejected", COUNT),
                  col("rejectionRate", "Rejection rate", RATIO),
                  col("openReviews", "Open reviews now", COUNT),
                  col("oldestOpenReviewHours", "Oldest open review (h)", NUMBER),
                  col("lastSyncAt", "Last sync", INSTANT),
                  col("stale", "Stale", FLAG))),
          def(
              REJECTIONS,
              "Rejection reasons",
              "Events rejected in the range by reason, most frequent first",
              OPERATIONS,
              List.of("reason", "technician"),
              List.of(
                  col("rejected", "Rejected", COUNT),
                  col("share", "Share", RATIO),
                  col("retryable", "Retryable", COUNT),
                  col("acknowledged", "Acknowledged", COUNT))));

  private Definitions() {}

  static ReportDefinition find(String name) {
    return ALL.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
  }

  private static List<ReportColumn> statusColumns() {
    List<ReportColumn> cols = new ArrayList<>();
    for (JobStatus s : JobStatus.values()) {
      cols.add(col(s.name(), s.name(), COUNT));
    }
    cols.add(col("total", "All", COUNT));
    return cols;
  }

  private static ReportDefinition def(
      String name,
      String title,
      String description,
      ReportDefinition.Audience audience,
      List<String> groupBy,
      List<ReportColumn> columns) {
    List<ReportColumn> all = new ArrayList<>();
    all.add(col("group", "Group", TEXT));
    all.add(col("label", "Name", TEXT));
    all.addAll(columns);
    return new ReportDefinition(name, title, description, audience, groupBy, all);
  }

  private static ReportColumn col(String name, String label, ReportColumn.Type type) {
    return new ReportColumn(name, label, type);
  }
}
