package org.fieldops.jobs.internal;

import static org.fieldops.api.jobs.JobStatus.CANCELLED;
import static org.fieldops.api.jobs.JobStatus.CLOSED;
import static org.fieldops.api.jobs.JobStatus.COMPLETED;
import static org.fieldops.api.jobs.JobStatus.DISPATCHED;
import static org.fieldops.api.jobs.JobStatus.EN_ROUTE;
import static org.fieldops.api.jobs.JobStatus.INVOICED;
import static org.fieldops.api.jobs.JobStatus.NEW;
import static org.fieldops.api.jobs.JobStatus.ON_HOLD;
import static org.fieldops.api.jobs.JobStatus.ON_SITE;
import static org.fieldops.api.jobs.JobStatus.PAUSED;
import static org.fieldops.api.jobs.JobStatus.SCHEDULED;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.jobs.JobStatus;

/**
 * API.md's status machine, as one table: which move each kind of actor may make. The jobs service
 * asks it before every status change; nothing else decides.
 */
final class StatusMachine {

  /** Who makes a move, and through which door. */
  enum Actor {
    /** {@code POST /jobs/{id}/transitions} */
    OFFICE,
    /** {@code PUT /jobs/{id}/assignment} */
    ASSIGNMENT,
    /** a technician's status event */
    TECHNICIAN,
    /** billing: invoice approved or sent */
    SYSTEM
  }

  record Move(JobStatus from, JobStatus to, Actor actor) {}

  static final Set<JobStatus> OPEN =
      EnumSet.of(NEW, SCHEDULED, DISPATCHED, EN_ROUTE, ON_SITE, PAUSED);

  /** Statuses in which (re-)assignment is allowed. */
  static final Set<JobStatus> ASSIGNABLE =
      EnumSet.of(NEW, SCHEDULED, DISPATCHED, EN_ROUTE, PAUSED, ON_HOLD);

  static final List<Move> MOVES = moves();

  private static List<Move> moves() {
    List<Move> m = new ArrayList<>();
    m.add(new Move(NEW, SCHEDULED, Actor.OFFICE));
    m.add(new Move(NEW, DISPATCHED, Actor.ASSIGNMENT));
    m.add(new Move(SCHEDULED, DISPATCHED, Actor.ASSIGNMENT));
    m.add(new Move(DISPATCHED, SCHEDULED, Actor.ASSIGNMENT));
    m.add(new Move(DISPATCHED, EN_ROUTE, Actor.TECHNICIAN));
    m.add(new Move(DISPATCHED, ON_SITE, Actor.TECHNICIAN));
    m.add(new Move(EN_ROUTE, ON_SITE, Actor.TECHNICIAN));
    m.add(new Move(ON_SITE, PAUSED, Actor.TECHNICIAN));
    m.add(new Move(ON_SITE, COMPLETED, Actor.TECHNICIAN));
    m.add(new Move(PAUSED, ON_SITE, Actor.TECHNICIAN));
    m.add(new Move(PAUSED, COMPLETED, Actor.TECHNICIAN));
    m.add(new Move(COMPLETED, DISPATCHED, Actor.OFFICE));
    m.add(new Move(COMPLETED, INVOICED, Actor.SYSTEM));
    m.add(new Move(INVOICED, CLOSED, Actor.SYSTEM));
    for (JobStatus open : OPEN) {
      m.add(new Move(open, ON_HOLD, Actor.OFFICE));
      m.add(new Move(open, CANCELLED, Actor.OFFICE));
    }
    m.add(new Move(ON_HOLD, SCHEDULED, Actor.OFFICE));
    return List.copyOf(m);
  }

  private StatusMachine() {}

  static boolean allowed(JobStatus from, JobStatus to, Actor actor) {
    return MOVES.contains(new Move(from, to, actor));
  }

  /** The statuses {@code actor} may move a job to from {@code from}, in declaration order. */
  static List<JobStatus> targets(JobStatus from, Actor actor) {
    return MOVES.stream()
        .filter(m -> m.from() == from && m.actor() == actor)
        .map(Move::to)
        .sorted()
        .toList();
  }

  /**
   * @throws StateConflictException naming the allowed moves if this one is not allowed
   */
  static void check(JobStatus from, JobStatus to, Actor actor) {
    if (!allowed(from, to, actor)) {
      List<String> allowed = targets(from, actor).stream().map(Enum::name).toList();
      String who = actor.name().toLowerCase(java.util.Locale.ROOT);
      throw new StateConflictException(
          "cannot move a job from "
              + from
              + " to "
              + to
              + " ("
              + who
              + ")"
              + (allowed.isEmpty()
                  ? "; no move is allowed from " + from
                  : "; allowed: " + String.join(", ", allowed)),
          allowed);
    }
  }
}
