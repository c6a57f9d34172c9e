package org.fieldops.demo.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.fieldops.api.jobs.Assignment;
import org.fieldops.api.jobs.FlatRateTaskRef;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.api.jobs.Priority;
import org.fieldops.api.jobs.WorkOrder;
import org.fieldops.api.jobs.WorkOrderDraft;
import org.fieldops.api.master.Customer;
import org.fieldops.api.master.Equipment;
import org.fieldops.api.master.Site;
import org.fieldops.api.master.Technician;
import org.fieldops.api.security.Caller;

/** DEMO ONLY. Builds one day of jobs through the public job service. */
final class DemoDay {
  private final JobService jobs;
  private final Caller caller;
  private final LocalDate day;
  private int count;

  DemoDay(JobService jobs, Caller caller, LocalDate day) {
    this.jobs = jobs;
    this.caller = caller;
    this.day = day;
  }

  int count() {
    return count;
  }

  private Instant at(int hour) {
    return day.atTime(hour, 0).toInstant(ZoneOffset.UTC);
  }

  private WorkOrder create(
      Customer c,
      Site s,
      List<Equipment> units,
      String title,
      String type,
      Priority p,
      boolean window) {
    count++;
    List<FlatRateTaskRef> tasks =
        type.startsWith("hvac.maintenance")
            ? List.of(
                new FlatRateTaskRef("PM-RTU", units.size() == 0 ? 1 : units.size()),
                new FlatRateTaskRef("TRIP", 1))
            : List.of(new FlatRateTaskRef("TRIP", 1));
    return jobs.create(
        new WorkOrderDraft(
            c.id(),
            s.id(),
            units.stream().map(Equipment::id).toList(),
            title,
            null,
            type,
            p,
            window ? at(7) : null,
            window ? at(18) : null,
            90,
            tasks),
        caller);
  }

  WorkOrder assigned(
      Customer c,
      Site s,
      List<Equipment> units,
      String title,
      String type,
      Priority p,
      Technician t,
      int from,
      int to) {
    WorkOrder job = create(c, s, units, title, type, p, true);
    return jobs.assign(job.id(), null, new Assignment(List.of(t.id()), at(from), at(to)), caller)
        .job();
  }

  /**
   * Moves a job as its technician would from the field (the sync API will carry these moves):
   * answers every required checklist item with a plausible value first when completing.
   */
  void fieldWork(WorkOrder job, Technician t, JobStatus... moves) {
    Caller tech =
        new Caller(t.username(), java.util.Set.of(org.fieldops.api.security.Role.TECHNICIAN));
    for (JobStatus to : moves) {
      if (to == JobStatus.COMPLETED) {
        for (var checklist : jobs.get(job.id()).checklists()) {
          for (var item : checklist.template().items()) {
            if (item.required()) {
              jobs.answerChecklist(
                  job.id(), checklist.template().id(), item.id(), sampleAnswer(item), tech);
            }
          }
        }
      }
      jobs.moveByTechnician(job.id(), to, tech);
    }
  }

  private static Object sampleAnswer(org.fieldops.spi.checklist.ChecklistItem item) {
    return switch (item.type()) {
      case YES_NO -> Boolean.TRUE;
      case NUMBER ->
          item.min() != null && item.max() != null
              ? item.min().add(item.max()).divide(java.math.BigDecimal.valueOf(2))
              : java.math.BigDecimal.ONE;
      case TEXT -> "none";
      case CHOICE -> item.choices().get(0);
      case PHOTO -> java.util.Map.of("sha256", "0".repeat(64));
    };
  }

  void scheduled(Customer c, Site s, List<Equipment> units, String title, String type, Priority p) {
    WorkOrder job = create(c, s, units, title, type, p, true);
    jobs.transition(job.id(), null, JobStatus.SCHEDULED, null, caller);
  }

  void held(
      Customer c,
      Site s,
      List<Equipment> units,
      String title,
      String type,
      Technician t,
      int from,
      int to) {
    WorkOrder job = create(c, s, units, title, type, Priority.NORMAL, true);
    jobs.assign(job.id(), null, new Assignment(List.of(t.id()), at(from), at(to)), caller);
    jobs.transition(job.id(), null, JobStatus.ON_HOLD, "parts on order", caller);
  }

  void cancelled(Customer c, Site s, List<Equipment> units, String title, String type) {
    WorkOrder job = create(c, s, units, title, type, Priority.LOW, true);
    jobs.transition(job.id(), null, JobStatus.CANCELLED, "customer fixed it", caller);
  }

  void unplanned(Customer c, Site s, List<Equipment> units, String title, String type) {
    create(c, s, units, title, type, Priority.LOW, false);
  }
}
