package org.fieldops.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One job of the packet, as the server sent it (see {@code docs/sync-protocol.md}). Statuses,
 * priorities, item and line kinds are strings, so that a newer server's values do not break an
 * older app. {@link #json()} is the job's whole JSON, for fields this record does not name.
 *
 * @param id the job's id
 * @param routeOrder the server's route number when this job last came (see {@link Packet#jobs()}
 *     for the order to show)
 * @param status the server's status ({@code DISPATCHED}, {@code EN_ROUTE}, {@code ON_SITE}, ...);
 *     see {@link FieldClient#localStatus} for the status including this device's unsent moves
 * @param version the job's version: sent as {@code baseVersion} with events about the job
 * @param json the job as received, in JSON
 */
public record PacketJob(
    String id,
    int routeOrder,
    String title,
    String description,
    String type,
    String priority,
    String status,
    long version,
    Instant slotStart,
    Instant slotEnd,
    Instant windowStart,
    Instant windowEnd,
    Integer estimatedMinutes,
    List<String> technicianIds,
    Customer customer,
    Site site,
    List<Equipment> equipment,
    List<Checklist> checklists,
    List<Line> labor,
    List<Line> parts,
    List<Line> flatRateTasks,
    List<Line> notes,
    String json) {
  public PacketJob {
    technicianIds = List.copyOf(technicianIds);
    equipment = List.copyOf(equipment);
    checklists = List.copyOf(checklists);
    labor = List.copyOf(labor);
    parts = List.copyOf(parts);
    flatRateTasks = List.copyOf(flatRateTasks);
    notes = List.copyOf(notes);
  }

  /** The customer: {@code id}, {@code name}, {@code contact}. */
  public record Customer(String id, String name, String contact) {}

  /**
   * The site, with its access notes and a {@code geo:} navigation URI.
   *
   * @param version sent as the base of nothing: {@code field} events carry the value seen instead
   */
  public record Site(
      String id,
      String address,
      Double latitude,
      Double longitude,
      String accessNotes,
      String navigationUrl,
      long version) {}

  /** A piece of equipment on the job. */
  public record Equipment(
      String id,
      String type,
      String make,
      String model,
      String serialNumber,
      String installedOn,
      long version) {}

  /**
   * A checklist fixed on the job.
   *
   * @param answered ids of the items answered so far (on the server)
   * @param missing ids of the required items still open (on the server)
   */
  public record Checklist(
      String templateId,
      int templateVersion,
      String title,
      List<ChecklistItem> items,
      List<String> answered,
      List<String> missing) {
    public Checklist {
      items = List.copyOf(items);
      answered = List.copyOf(answered);
      missing = List.copyOf(missing);
    }

    /** The item with this id. */
    public Optional<ChecklistItem> item(String itemId) {
      return items.stream().filter(i -> i.id().equals(itemId)).findFirst();
    }
  }

  /**
   * A checklist item.
   *
   * @param type {@code YES_NO}, {@code NUMBER}, {@code TEXT}, {@code CHOICE} or {@code PHOTO}
   */
  public record ChecklistItem(
      String id,
      String label,
      String type,
      boolean required,
      BigDecimal min,
      BigDecimal max,
      String unit,
      List<String> choices) {
    public ChecklistItem {
      choices = List.copyOf(choices);
    }
  }

  /**
   * A line of the job: labor, part, flat-rate task or note.
   *
   * @param kind {@code LABOR}, {@code PART}, {@code FLAT_RATE} or {@code NOTE}
   * @param source {@code OFFICE} or {@code FIELD}
   */
  public record Line(
      String id,
      String kind,
      String code,
      String description,
      BigDecimal quantity,
      Instant startedAt,
      Instant endedAt,
      BigDecimal amount,
      String currency,
      String text,
      String source,
      boolean voided) {}
}
