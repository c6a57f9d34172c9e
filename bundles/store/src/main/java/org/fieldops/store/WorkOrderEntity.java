package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Table;

/** A work order. Technician assignments are mirrored in {@link JobTechnicianEntity} for queries. */
@Entity
@Table(name = "FO_JOB")
public class WorkOrderEntity extends RecordEntity {
  @Column(name = "CUSTOMER_ID", nullable = false, length = 36)
  public String customerId;

  @Column(name = "SITE_ID", nullable = false, length = 36)
  public String siteId;

  @Column(name = "TITLE", nullable = false, length = 200)
  public String title;

  @Column(name = "DESCRIPTION", length = 10000)
  public String description;

  @Column(name = "JOB_TYPE", nullable = false, length = 200)
  public String type;

  @Column(name = "PRIORITY", nullable = false, length = 16)
  public String priority;

  @Column(name = "WINDOW_START")
  public Instant windowStart;

  @Column(name = "WINDOW_END")
  public Instant windowEnd;

  @Column(name = "ESTIMATED_MINUTES")
  public Integer estimatedMinutes;

  @Column(name = "STATUS", nullable = false, length = 16)
  public String status;

  @Column(name = "SLOT_START")
  public Instant slotStart;

  @Column(name = "SLOT_END")
  public Instant slotEnd;

  /** Comma-separated technician ids, in assignment order. */
  @Column(name = "TECHNICIAN_IDS", length = 2000)
  public String technicianIds;

  /** True once the checklists that apply were fixed on the job (at its first dispatch). */
  @Column(name = "CHECKLISTS_FIXED", nullable = false)
  public boolean checklistsFixed;

  /** Comma-separated equipment ids. */
  @Column(name = "EQUIPMENT_IDS", length = 2000)
  public String equipmentIds;
}
