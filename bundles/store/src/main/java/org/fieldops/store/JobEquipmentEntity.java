package org.fieldops.store;

import java.io.Serializable;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** A piece of equipment a job works on (for equipment history). */
@Entity
@Table(name = "FO_JOB_EQUIPMENT")
@IdClass(JobEquipmentEntity.Key.class)
public class JobEquipmentEntity {
  @Id
  @Column(name = "JOB_ID", length = 36)
  public String jobId;

  @Id
  @Column(name = "EQUIPMENT_ID", length = 36)
  public String equipmentId;

  public JobEquipmentEntity() {}

  public JobEquipmentEntity(String jobId, String equipmentId) {
    this.jobId = jobId;
    this.equipmentId = equipmentId;
  }

  /** The composite key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String jobId;
    public String equipmentId;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(jobId, k.jobId)
          && Objects.equals(equipmentId, k.equipmentId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(jobId, equipmentId);
    }
  }
}
