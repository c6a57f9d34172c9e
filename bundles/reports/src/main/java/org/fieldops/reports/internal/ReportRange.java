package org.fieldops.reports.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;

/**
 * A range of business days as instants, cut where the business zone's offset changes (daylight
 * saving), so that within each piece the business day of a stored UTC timestamp is one SQL
 * expression: the date of the timestamp shifted by the piece's offset.
 */
record ReportRange(LocalDate from, LocalDate to, ZoneId zone, Instant start, Instant end) {

  /** A piece of the range with one UTC offset. */
  record Piece(Timestamp start, Timestamp end, int offsetSeconds) {}

  static ReportRange of(LocalDate from, LocalDate to, ZoneId zone) {
    return new ReportRange(
        from,
        to,
        zone,
        from.atStartOfDay(zone).toInstant(),
        to.plusDays(1).atStartOfDay(zone).toInstant());
  }

  /** The whole range as one piece (when rows are not grouped by day). */
  Piece whole() {
    return new Piece(Timestamp.from(start), Timestamp.from(end), 0);
  }

  /** The range cut at the zone's offset changes. */
  List<Piece> pieces() {
    List<Piece> pieces = new ArrayList<>();
    Instant at = start;
    while (at.isBefore(end)) {
      ZoneOffsetTransition next = zone.getRules().nextTransition(at);
      Instant cut = next == null || !next.getInstant().isBefore(end) ? end : next.getInstant();
      int offset = zone.getRules().getOffset(at).getTotalSeconds();
      pieces.add(new Piece(Timestamp.from(at), Timestamp.from(cut), offset));
      at = cut;
    }
    return pieces;
  }

  /** The business day of {@code column} (a UTC timestamp) inside a piece with this offset. */
  static String day(String column, int offsetSeconds) {
    return "CAST({fn TIMESTAMPADD(SQL_TSI_SECOND, " + offsetSeconds + ", " + column + ")} AS DATE)";
  }
}
