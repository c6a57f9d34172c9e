package org.fieldops.api.jobs;

/** How urgent a job is. */
public enum Priority {
  LOW,
  NORMAL,
  HIGH,
  EMERGENCY
}
