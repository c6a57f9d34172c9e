package org.fieldops.store;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** One answer to one checklist item (append-only; the newest per item counts). */
@Entity
@Table(name = "FO_CHECKLIST_ANSWER")
public class ChecklistAnswerEntity {
  @Id
  @Column(name = "ID", length = 36)
  public String id;

  @Column(name = "JOB_ID", nullable = false, length = 36)
  public String jobId;

  @Column(name = "TEMPLATE_ID", nullable = false, length = 100)
  public String templateId;

  @Column(name = "ITEM_ID", nullable = false, length = 64)
  public String itemId;

  /** The answer as JSON. */
  @Column(name = "ANSWER", nullable = false, length = 32000)
  public String answer;

  @Column(name = "ANSWERED_AT", nullable = false)
  public Instant answeredAt;

  @Column(name = "ANSWERED_BY", nullable = false, length = 200)
  public String answeredBy;
}
