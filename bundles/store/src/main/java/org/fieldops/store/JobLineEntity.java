package org.fieldops.store;

import java.math.BigDecimal;
import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Table;

/** A time & materials line on a job: labor, part, flat-rate task or note. */
@Entity
@Table(name = "FO_JOB_LINE")
public class JobLineEntity extends RecordEntity {
  @Column(name = "JOB_ID", nullable = false, length = 36)
  public String jobId;

  @Column(name = "KIND", nullable = false, length = 16)
  public String kind;

  /** Labor rate code, part SKU or flat-rate task code. */
  @Column(name = "CODE", length = 64)
  public String code;

  @Column(name = "DESCRIPTION", length = 200)
  public String description;

  @Column(name = "QUANTITY", precision = 19, scale = 4)
  public BigDecimal quantity;

  @Column(name = "STARTED_AT")
  public Instant startedAt;

  @Column(name = "ENDED_AT")
  public Instant endedAt;

  @Column(name = "UNIT_PRICE", precision = 19, scale = 4)
  public BigDecimal unitPrice;

  @Column(name = "CURRENCY", length = 3)
  public String currency;

  @Column(name = "NOTE_TEXT", length = 10000)
  public String text;

  @Column(name = "TECHNICIAN_ID", length = 36)
  public String technicianId;

  /** {@code OFFICE} or {@code FIELD}. */
  @Column(name = "SOURCE", nullable = false, length = 16)
  public String source;

  @Column(name = "VOIDED", nullable = false)
  public boolean voided;
}
