package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A completed job's figures for reports, as of its last completion. */
@Entity
@Table(name = "FO_JOB_COMPLETION")
public class JobCompletionEntity {
  @Id
  @Column(name = "JOB_ID", length = 36)
  public String jobId;

  @Column(name = "COMPLETED_AT", nullable = false)
  public Instant completedAt;

  /** Who completed it. */
  @Column(name = "TECHNICIAN_ID", length = 36)
  public String technicianId;

  @Column(name = "CUSTOMER_ID", nullable = false, length = 36)
  public String customerId;

  @Column(name = "JOB_TYPE", nullable = false, length = 200)
  public String jobType;

  /** 1 if the job worked on equipment. */
  @Column(name = "WITH_EQUIPMENT", nullable = false)
  public int withEquipment;

  /** A later job at the same equipment, created within 30 days of the completion (not fixed). */
  @Column(name = "REVISIT_JOB_ID", length = 36)
  public String revisitJobId;

  /** 1 if the technician was EN_ROUTE before arriving. */
  @Column(name = "TRAVELLED", nullable = false)
  public int travelled;

  @Column(name = "TRAVEL_SECONDS", nullable = false)
  public long travelSeconds;

  @Column(name = "ON_SITE_SECONDS", nullable = false)
  public long onSiteSeconds;

  /** The first arrival against the slot then: EARLY, ON_TIME, LATE; null without a slot. */
  @Column(name = "ARRIVAL", length = 8)
  public String arrival;
}
