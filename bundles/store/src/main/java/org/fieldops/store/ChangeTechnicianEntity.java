package org.fieldops.store;

import java.io.Serializable;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** Which technicians a change concerns; {@code removed} when the job left that technician. */
@Entity
@Table(name = "FO_CHANGE_TECHNICIAN")
@IdClass(ChangeTechnicianEntity.Key.class)
public class ChangeTechnicianEntity {
  @Id
  @Column(name = "CHANGE_ID", length = 36)
  public String changeId;

  @Id
  @Column(name = "TECHNICIAN_ID", length = 36)
  public String technicianId;

  @Column(name = "REMOVED", nullable = false)
  public boolean removed;

  /** The change's cursor, stamped with it by the sequencer ({@code null} until then). */
  @Column(name = "CURSOR_NO")
  public Long cursor;

  public ChangeTechnicianEntity() {}

  public ChangeTechnicianEntity(String changeId, String technicianId, boolean removed) {
    this.changeId = changeId;
    this.technicianId = technicianId;
    this.removed = removed;
  }

  /** The composite key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String changeId;
    public String technicianId;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(changeId, k.changeId)
          && Objects.equals(technicianId, k.technicianId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(changeId, technicianId);
    }
  }
}
