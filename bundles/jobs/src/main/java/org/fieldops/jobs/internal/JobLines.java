package org.fieldops.jobs.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManager;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.LineDraft;
import org.fieldops.api.jobs.LineKind;
import org.fieldops.api.pricebook.PriceBookService;
import org.fieldops.store.JobLineEntity;
import org.fieldops.store.TechnicianEntity;
import org.fieldops.store.support.Checks;

/**
 * Time & materials lines: validation against the price book, pricing at the time the server applies
 * a line, and reading lines back grouped by job.
 */
final class JobLines {
  static final BigDecimal MAX_QUANTITY = new BigDecimal("10000");
  static final Duration MAX_LABOR = Duration.ofHours(24);

  private final PriceBookService prices;

  JobLines(PriceBookService prices) {
    this.prices = prices;
  }

  /**
   * A priced line for the draft, not yet persisted. Throws naming every bad field ({@code prefix}
   * first).
   */
  JobLineEntity price(EntityManager em, LineDraft d, String prefix) {
    Checks checks = new Checks();
    if (d.kind() == null) {
      checks.add(prefix + "kind", "is required: LABOR, PART, FLAT_RATE or NOTE");
      checks.throwIfAny();
    }
    JobLineEntity line = new JobLineEntity();
    line.kind = d.kind().name();
    if (d.technicianId() != null) {
      checks.check(
          em.find(TechnicianEntity.class, d.technicianId()) != null,
          prefix + "technicianId",
          "no such technician");
      line.technicianId = d.technicianId();
    }
    switch (d.kind()) {
      case LABOR -> {
        var rate = d.rateCode() == null ? null : prices.activeLaborRate(d.rateCode()).orElse(null);
        checks.check(
            rate != null, prefix + "rateCode", "no such active labor rate in the price book");
        checkPeriod(checks, prefix, d.startedAt(), d.endedAt());
        if (rate != null
            && !checks.hasErrorOn(prefix + "endedAt")
            && !checks.hasErrorOn(prefix + "startedAt")) {
          line.code = rate.code();
          line.description = rate.name();
          line.unitPrice = rate.hourlyRate();
          line.currency = rate.currency();
          line.startedAt = d.startedAt();
          line.endedAt = d.endedAt();
          line.quantity = hours(d.startedAt(), d.endedAt());
        }
      }
      case PART -> {
        var part = d.sku() == null ? null : prices.activePart(d.sku()).orElse(null);
        checks.check(part != null, prefix + "sku", "no such active part in the price book");
        checkQuantity(checks, prefix, d.quantity());
        if (part != null) {
          line.code = part.sku();
          line.description = part.name();
          line.unitPrice = part.unitPrice();
          line.currency = part.currency();
          line.quantity = d.quantity();
        }
      }
      case FLAT_RATE -> {
        var task = d.code() == null ? null : prices.activeFlatRateTask(d.code()).orElse(null);
        checks.check(
            task != null, prefix + "code", "no such active flat-rate task in the price book");
        checkQuantity(checks, prefix, d.quantity());
        if (task != null) {
          line.code = task.code();
          line.description = task.name();
          line.unitPrice = task.price();
          line.currency = task.currency();
          line.quantity = d.quantity();
        }
      }
      case NOTE -> {
        checks.text(prefix + "text", d.text(), true, Checks.TEXT_MAX);
        line.text = d.text();
      }
    }
    checks.throwIfAny();
    return line;
  }

  boolean isActiveTask(String code) {
    return prices.activeFlatRateTask(code).isPresent();
  }

  /** The line in one line of text, for the audit trail. */
  static String describe(JobLineEntity l) {
    String what =
        switch (LineKind.valueOf(l.kind)) {
          case LABOR -> l.code + " " + l.startedAt + ".." + l.endedAt + " (" + l.quantity + " h)";
          case PART, FLAT_RATE ->
              l.code
                  + " x "
                  + (l.quantity == null ? null : l.quantity.stripTrailingZeros().toPlainString());
          case NOTE -> l.text;
        };
    return l.kind + " " + what + (l.voided ? " [voided]" : "");
  }

  /**
   * Applies an office correction; the line keeps its price. Labor quantity follows its times, so
   * for labor {@code quantity} itself cannot be set.
   */
  static void correct(
      EntityManager em, JobLineEntity line, LineEdit edit, boolean quantityChanged) {
    Checks checks = new Checks();
    LineKind kind = LineKind.valueOf(line.kind);
    if (edit.technicianId() != null && !edit.technicianId().equals(line.technicianId)) {
      checks.check(
          em.find(TechnicianEntity.class, edit.technicianId()) != null,
          "technicianId",
          "no such technician");
    }
    checks.check(edit.voided() != null, "voided", "must be true or false");
    switch (kind) {
      case LABOR -> {
        checks.check(
            !quantityChanged, "quantity", "is derived from startedAt and endedAt for labor");
        checkPeriod(checks, "", edit.startedAt(), edit.endedAt());
      }
      case PART, FLAT_RATE -> {
        checkQuantity(checks, "", edit.quantity());
        checks.check(
            edit.startedAt() == null && edit.endedAt() == null,
            "startedAt",
            "only labor lines have times");
      }
      case NOTE -> {
        checks.text("text", edit.text(), true, Checks.TEXT_MAX);
        checks.check(edit.quantity() == null, "quantity", "a note has no quantity");
      }
    }
    if (kind != LineKind.NOTE) {
      checks.check(edit.text() == null, "text", "only notes have text");
    }
    checks.throwIfAny();
    line.technicianId = edit.technicianId();
    line.voided = edit.voided();
    if (kind == LineKind.LABOR) {
      line.startedAt = edit.startedAt();
      line.endedAt = edit.endedAt();
      line.quantity = hours(edit.startedAt(), edit.endedAt());
    } else if (kind == LineKind.NOTE) {
      line.text = edit.text();
    } else {
      line.quantity = edit.quantity();
    }
  }

  static void checkPeriod(Checks checks, String prefix, Instant start, Instant end) {
    checks.check(start != null, prefix + "startedAt", "is required");
    checks.check(end != null, prefix + "endedAt", "is required");
    if (start != null && end != null) {
      checks.check(end.isAfter(start), prefix + "endedAt", "must be after startedAt");
      checks.check(
          Duration.between(start, end).compareTo(MAX_LABOR) <= 0,
          prefix + "endedAt",
          "a labor line covers at most 24 hours");
    }
  }

  static void checkQuantity(Checks checks, String prefix, BigDecimal q) {
    checks.check(
        q != null
            && q.signum() > 0
            && q.compareTo(MAX_QUANTITY) <= 0
            && q.stripTrailingZeros().scale() <= 4,
        prefix + "quantity",
        "must be more than 0 and at most 10000, with at most 4 decimals");
  }

  static BigDecimal hours(Instant start, Instant end) {
    return BigDecimal.valueOf(Duration.between(start, end).getSeconds())
        .divide(BigDecimal.valueOf(3600), 4, RoundingMode.HALF_EVEN);
  }

  static JobLine toRecord(JobLineEntity e) {
    BigDecimal amount =
        e.quantity == null || e.unitPrice == null
            ? null
            : e.quantity.multiply(e.unitPrice).setScale(2, RoundingMode.HALF_EVEN);
    return new JobLine(
        e.getId(),
        LineKind.valueOf(e.kind),
        e.code,
        e.description,
        e.quantity == null
            ? null
            : e.quantity.stripTrailingZeros().scale() < 0
                ? e.quantity.setScale(0)
                : e.quantity.stripTrailingZeros(),
        e.startedAt,
        e.endedAt,
        Checks.money(e.unitPrice),
        e.currency,
        amount,
        e.text,
        e.technicianId,
        e.source,
        e.voided,
        e.getVersion(),
        e.getCreatedAt(),
        e.getCreatedBy());
  }

  /** Lines of the given jobs, by job id, in creation order; one query. */
  static Map<String, List<JobLine>> byJob(EntityManager em, Collection<String> jobIds) {
    Map<String, List<JobLine>> out = new HashMap<>();
    if (jobIds.isEmpty()) {
      return out;
    }
    List<JobLineEntity> rows =
        em.createQuery(
                "SELECT l FROM JobLineEntity l WHERE l.jobId IN :ids ORDER BY l.id",
                JobLineEntity.class)
            .setParameter("ids", new ArrayList<>(jobIds))
            .getResultList();
    for (JobLineEntity l : rows) {
      out.computeIfAbsent(l.jobId, k -> new ArrayList<>()).add(toRecord(l));
    }
    return out;
  }
}
