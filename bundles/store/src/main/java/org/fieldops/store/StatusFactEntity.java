package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** One status move of a job, for reports (append-only, written with the move). */
@Entity
@Table(name = "FO_STATUS_FACT")
public class StatusFactEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "JOB_ID", nullable = false, length = 36)
  public String jobId;

  @Column(name = "FROM_STATUS", nullable = false, length = 16)
  public String fromStatus;

  @Column(name = "TO_STATUS", nullable = false, length = 16)
  public String toStatus;

  /** When the server applied the move. */
  @Column(name = "AT_TIME", nullable = false)
  public Instant at;

  /** When the job entered {@link #fromStatus} (its previous move, or its creation). */
  @Column(name = "SINCE", nullable = false)
  public Instant since;

  /** The technician who moved it; for office and system moves the first assigned, if any. */
  @Column(name = "TECHNICIAN_ID", length = 36)
  public String technicianId;

  @Column(name = "ACTOR", nullable = false, length = 200)
  public String actor;

  @Column(name = "SLOT_START")
  public Instant slotStart;

  @Column(name = "SLOT_END")
  public Instant slotEnd;
}
