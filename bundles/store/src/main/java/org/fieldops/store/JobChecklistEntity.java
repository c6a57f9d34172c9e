package org.fieldops.store;

import java.io.Serializable;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** A checklist template fixed on a job at dispatch, stored as its JSON definition. */
@Entity
@Table(name = "FO_JOB_CHECKLIST")
@IdClass(JobChecklistEntity.Key.class)
public class JobChecklistEntity {
  @Id
  @Column(name = "JOB_ID", length = 36)
  public String jobId;

  @Id
  @Column(name = "TEMPLATE_ID", length = 100)
  public String templateId;

  @Column(name = "TEMPLATE_VERSION", nullable = false)
  public int templateVersion;

  @Column(name = "PROVIDER", nullable = false, length = 200)
  public String provider;

  @Column(name = "POSITION", nullable = false)
  public int position;

  @Column(name = "DEFINITION", nullable = false, length = 32000)
  public String definition;

  /** The composite key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String jobId;
    public String templateId;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(jobId, k.jobId)
          && Objects.equals(templateId, k.templateId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(jobId, templateId);
    }
  }
}
