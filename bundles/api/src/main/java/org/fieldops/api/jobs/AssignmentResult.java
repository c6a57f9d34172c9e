package org.fieldops.api.jobs;

import java.util.List;

/** An accepted assignment: the job afterwards and the warnings the office should see. */
public record AssignmentResult(WorkOrder job, List<Warning> warnings) {
  public AssignmentResult {
    warnings = List.copyOf(warnings);
  }
}
