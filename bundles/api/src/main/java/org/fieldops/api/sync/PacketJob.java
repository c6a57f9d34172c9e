package org.fieldops.api.sync;

import java.time.Instant;
import java.util.List;
import org.fieldops.api.jobs.JobChecklist;
import org.fieldops.api.jobs.JobLine;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.Priority;

/**
 * One job as the technician's phone sees it.
 *
 * @param routeOrder 1-based position in the day's route (by slot start)
 * @param checklists the templates fixed at dispatch (with their versions) and the answers so far
 * @param flatRateTasks the flat-rate tasks ordered by the office and recorded in the field
 */
public record PacketJob(
    String id,
    int routeOrder,
    String title,
    String description,
    String type,
    Priority priority,
    JobStatus status,
    Instant slotStart,
    Instant slotEnd,
    Instant windowStart,
    Instant windowEnd,
    Integer estimatedMinutes,
    List<String> technicianIds,
    PacketCustomer customer,
    PacketSite site,
    List<PacketEquipment> equipment,
    List<JobChecklist> checklists,
    List<JobLine> labor,
    List<JobLine> parts,
    List<JobLine> flatRateTasks,
    List<JobLine> notes,
    long version) {
  public PacketJob {
    technicianIds = List.copyOf(technicianIds);
    equipment = List.copyOf(equipment);
    checklists = List.copyOf(checklists);
    labor = List.copyOf(labor);
    parts = List.copyOf(parts);
    flatRateTasks = List.copyOf(flatRateTasks);
    notes = List.copyOf(notes);
  }

  /** The customer, as much as the technician needs. */
  public record PacketCustomer(String id, String name, String contact) {}

  /**
   * The site.
   *
   * @param navigationUrl a {@code geo:} URI (RFC 5870) when coordinates are known, else a {@code
   *     geo:0,0?q=} address query
   */
  public record PacketSite(
      String id,
      String address,
      Double latitude,
      Double longitude,
      String accessNotes,
      String navigationUrl,
      long version) {}

  /** A piece of equipment with its most recent finished jobs (newest first, at most 5). */
  public record PacketEquipment(
      String id,
      String type,
      String make,
      String model,
      String serialNumber,
      java.time.LocalDate installedOn,
      long version,
      List<PastJob> history) {
    public PacketEquipment {
      history = List.copyOf(history);
    }
  }

  /** A finished job at a piece of equipment. */
  public record PastJob(
      String jobId, String title, String type, JobStatus status, Instant when, List<String> notes) {
    public PastJob {
      notes = List.copyOf(notes);
    }
  }
}
