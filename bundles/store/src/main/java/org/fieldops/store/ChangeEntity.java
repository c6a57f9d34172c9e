package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/**
 * A change-log row. Written with {@code cursor == null} in the changing transaction; the sequencer
 * stamps the cursor after commit. Readers only read stamped rows.
 */
@Entity
@Table(name = "FO_CHANGE")
public class ChangeEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "CURSOR_NO")
  public Long cursor;

  @Column(name = "JOB_ID", nullable = false, length = 36)
  public String jobId;

  @Column(name = "JOB_VERSION", nullable = false)
  public long jobVersion;

  @Column(name = "STATUS", nullable = false, length = 16)
  public String status;

  @Column(name = "TECHNICIAN_IDS", length = 2000)
  public String technicianIds;

  @Column(name = "CHANGED_AT", nullable = false)
  public Instant at;
}
