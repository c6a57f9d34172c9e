package org.fieldops.store;

import java.io.Serializable;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** A technician currently assigned to a job. */
@Entity
@Table(name = "FO_JOB_TECHNICIAN")
@IdClass(JobTechnicianEntity.Key.class)
public class JobTechnicianEntity {
  @Id
  @Column(name = "JOB_ID", length = 36)
  public String jobId;

  @Id
  @Column(name = "TECHNICIAN_ID", length = 36)
  public String technicianId;

  /** The job's slot start, copied here so that a technician's day is one index range. */
  @Column(name = "SLOT_START")
  public java.time.Instant slotStart;

  public JobTechnicianEntity() {}

  public JobTechnicianEntity(String jobId, String technicianId, java.time.Instant slotStart) {
    this.jobId = jobId;
    this.technicianId = technicianId;
    this.slotStart = slotStart;
  }

  /** The composite key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String jobId;
    public String technicianId;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(jobId, k.jobId)
          && Objects.equals(technicianId, k.technicianId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(jobId, technicianId);
    }
  }
}
