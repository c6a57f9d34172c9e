package org.fieldops.shell.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.WorkOrder;

/** How times and periods of a job read on the console: UTC, to the minute. */
final class JobText {
  private static final DateTimeFormatter DAY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private JobText() {}

  /** {@code 2026-12-01 08:00}, or {@code -}. */
  static String at(Instant instant) {
    return instant == null ? "-" : DAY_TIME.format(instant);
  }

  /** {@code 2026-12-01 08:00-17:00}, with the end's day when it differs; {@code -} if open. */
  static String period(Instant start, Instant end) {
    if (start == null && end == null) {
      return "-";
    }
    if (start == null || end == null) {
      return at(start) + " - " + at(end);
    }
    boolean sameDay = DAY.format(start).equals(DAY.format(end));
    return DAY_TIME.format(start) + "-" + (sameDay ? TIME.format(end) : DAY_TIME.format(end));
  }

  /**
   * The slot when the job is assigned ({@code slot ...}), else its window ({@code window ...}),
   * else {@code -}.
   */
  static String when(WorkOrder job) {
    Assignment a = job.assignment();
    if (a != null && a.hasTechnicians() && a.start() != null) {
      return "slot " + period(a.start(), a.end());
    }
    if (job.windowStart() != null || job.windowEnd() != null) {
      return "window " + period(job.windowStart(), job.windowEnd());
    }
    return "-";
  }

  /** The text, or {@code -} for none. */
  static String orDash(Object value) {
    if (value == null) {
      return "-";
    }
    String text = value.toString();
    return text.isBlank() ? "-" : text;
  }
}
