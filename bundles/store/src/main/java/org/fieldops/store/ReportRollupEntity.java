package org.fieldops.store;

import java.time.Instant;
import java.time.LocalDate;
import javax.persistence.Basic;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.Id;
import javax.persistence.Lob;
import javax.persistence.Table;

/**
 * The grouped figures of one report figure for one closed business day or month, as the reports
 * bundle computed them from the facts; the marks in {@code FO_REPORT_DIRTY} say when a day's facts
 * have changed since.
 */
@Entity
@Table(name = "FO_REPORT_ROLLUP")
public class ReportRollupEntity {
  /** Figure, grouping, zone, period kind and start, joined by {@code |}. */
  @Id
  @Column(name = "ID", length = 200)
  public String id;

  @Column(name = "FIGURE", nullable = false, length = 32)
  public String figure;

  @Column(name = "GROUP_BY", nullable = false, length = 32)
  public String groupBy;

  /** The business zone the days were cut in. */
  @Column(name = "ZONE_ID", nullable = false, length = 64)
  public String zoneId;

  /** {@code DAY} or {@code MONTH}. */
  @Column(name = "PERIOD_KIND", nullable = false, length = 8)
  public String periodKind;

  @Column(name = "PERIOD_START", nullable = false)
  public LocalDate periodStart;

  @Column(name = "BUILT_AT", nullable = false)
  public Instant builtAt;

  /** The rows, in the reports bundle's compressed format. */
  @Lob
  @Basic(fetch = FetchType.EAGER)
  @Column(name = "DATA", nullable = false)
  public byte[] data;
}
