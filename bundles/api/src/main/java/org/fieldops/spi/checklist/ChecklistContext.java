package org.fieldops.spi.checklist;

import java.util.List;

/**
 * What a provider may know about the job being dispatched.
 *
 * @param jobType dotted lower-case type, e.g. {@code hvac.maintenance}
 * @param equipmentTypes the types of the job's equipment, e.g. {@code [hvac.rooftop]}
 */
public record ChecklistContext(
    String jobId, String jobType, List<String> equipmentTypes, String customerId) {
  public ChecklistContext {
    equipmentTypes = List.copyOf(equipmentTypes);
  }
}
