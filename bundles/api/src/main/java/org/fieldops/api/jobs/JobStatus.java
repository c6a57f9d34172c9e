package org.fieldops.api.jobs;

/**
 * The status of a work order. {@link #CANCELLED} and {@link #CLOSED} are final. Who may move a job
 * from one status to another is the status machine of API.md, enforced by {@link JobService}.
 */
public enum JobStatus {
  NEW,
  SCHEDULED,
  DISPATCHED,
  EN_ROUTE,
  ON_SITE,
  PAUSED,
  COMPLETED,
  INVOICED,
  CLOSED,
  ON_HOLD,
  CANCELLED;

  /** True for the statuses no move leaves. */
  public boolean isFinal() {
    return this == CANCELLED || this == CLOSED;
  }
}
