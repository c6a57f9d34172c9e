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
import static org.fieldops.jobs.internal.StatusMachine.Actor.ASSIGNMENT;
import static org.fieldops.jobs.internal.StatusMachine.Actor.OFFICE;
import static org.fieldops.jobs.internal.StatusMachine.Actor.SYSTEM;
import static org.fieldops.jobs.internal.StatusMachine.Actor.TECHNICIAN;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.jobs.JobStatus;
import org.fieldops.jobs.internal.StatusMachine.Actor;
import org.junit.Test;

/**
 * The status machine against API.md's table, written out here independently of {@link
 * StatusMachine#MOVES}, checked for every (from, to, actor).
 */
public class StatusMachineTest {

  /**
   * API.md, "Status machine", row by row. Office moves through transitions are OFFICE, through
   * assignment ASSIGNMENT.
   */
  private static final Set<String> EXPECTED = expected();

  private static Set<String> expected() {
    Set<String> m = new HashSet<>();
    // NEW | SCHEDULED (transition; needs a window), DISPATCHED (assignment) | office
    m.add(key(NEW, SCHEDULED, OFFICE));
    m.add(key(NEW, DISPATCHED, ASSIGNMENT));
    // SCHEDULED | DISPATCHED (assignment) | office
    m.add(key(SCHEDULED, DISPATCHED, ASSIGNMENT));
    // DISPATCHED | SCHEDULED (un-assign) | office
    m.add(key(DISPATCHED, SCHEDULED, ASSIGNMENT));
    // DISPATCHED | EN_ROUTE, ON_SITE | technician
    m.add(key(DISPATCHED, EN_ROUTE, TECHNICIAN));
    m.add(key(DISPATCHED, ON_SITE, TECHNICIAN));
    // EN_ROUTE | ON_SITE | technician
    m.add(key(EN_ROUTE, ON_SITE, TECHNICIAN));
    // ON_SITE | PAUSED, COMPLETED | technician
    m.add(key(ON_SITE, PAUSED, TECHNICIAN));
    m.add(key(ON_SITE, COMPLETED, TECHNICIAN));
    // PAUSED | ON_SITE, COMPLETED | technician
    m.add(key(PAUSED, ON_SITE, TECHNICIAN));
    m.add(key(PAUSED, COMPLETED, TECHNICIAN));
    // COMPLETED | DISPATCHED (re-open) | office
    m.add(key(COMPLETED, DISPATCHED, OFFICE));
    // COMPLETED | INVOICED | system
    m.add(key(COMPLETED, INVOICED, SYSTEM));
    // INVOICED | CLOSED | system
    m.add(key(INVOICED, CLOSED, SYSTEM));
    // NEW, SCHEDULED, DISPATCHED, EN_ROUTE, ON_SITE, PAUSED | ON_HOLD, CANCELLED | office
    for (JobStatus from : List.of(NEW, SCHEDULED, DISPATCHED, EN_ROUTE, ON_SITE, PAUSED)) {
      m.add(key(from, ON_HOLD, OFFICE));
      m.add(key(from, CANCELLED, OFFICE));
    }
    // ON_HOLD | SCHEDULED | office
    m.add(key(ON_HOLD, SCHEDULED, OFFICE));
    return Set.copyOf(m);
  }

  private static String key(JobStatus from, JobStatus to, Actor actor) {
    return from + "->" + to + " by " + actor;
  }

  private static Set<String> expectedTargets(JobStatus from, Actor actor) {
    Set<String> out = new TreeSet<>();
    for (JobStatus to : JobStatus.values()) {
      if (EXPECTED.contains(key(from, to, actor))) {
        out.add(to.name());
      }
    }
    return out;
  }

  @Test
  public void theTableHasTheRowsOfApiMd() {
    assertEquals(
        27,
        EXPECTED.size()); // 14 single moves + 6 x 2 to ON_HOLD / CANCELLED + ON_HOLD -> SCHEDULED
  }

  @Test
  public void allowedMatchesTheTableForEveryFromToAndActor() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (JobStatus from : JobStatus.values()) {
      for (JobStatus to : JobStatus.values()) {
        for (Actor actor : Actor.values()) {
          checked++;
          boolean expected = EXPECTED.contains(key(from, to, actor));
          if (StatusMachine.allowed(from, to, actor) != expected) {
            wrong.add(key(from, to, actor) + " should be " + (expected ? "allowed" : "refused"));
          }
        }
      }
    }
    assertEquals(11 * 11 * 4, checked);
    assertTrue(String.join("\n", wrong), wrong.isEmpty());
  }

  @Test
  public void checkPassesAllowedMovesAndRefusesOthersNamingExactlyTheAllowedTargets() {
    for (JobStatus from : JobStatus.values()) {
      for (Actor actor : Actor.values()) {
        Set<String> targets = expectedTargets(from, actor);
        for (JobStatus to : JobStatus.values()) {
          String what = key(from, to, actor);
          if (EXPECTED.contains(what)) {
            StatusMachine.check(from, to, actor); // must not throw
            continue;
          }
          StateConflictException e =
              assertThrows(
                  what, StateConflictException.class, () -> StatusMachine.check(from, to, actor));
          List<String> allowed = e.allowed();
          assertEquals(what + ": allowed() " + allowed, targets, new TreeSet<>(allowed));
          assertEquals(what + ": no duplicates in " + allowed, targets.size(), allowed.size());
          for (String t : targets) {
            assertTrue(
                what + ": message names " + t + ": " + e.getMessage(), e.getMessage().contains(t));
          }
          assertTrue(
              e.getMessage(),
              e.getMessage().contains(from.name()) && e.getMessage().contains(to.name()));
        }
      }
    }
  }

  @Test
  public void targetsListsTheAllowedMovesPerActor() {
    for (JobStatus from : JobStatus.values()) {
      for (Actor actor : Actor.values()) {
        List<JobStatus> targets = StatusMachine.targets(from, actor);
        Set<String> names = new TreeSet<>();
        targets.forEach(t -> names.add(t.name()));
        assertEquals(from + " by " + actor, expectedTargets(from, actor), names);
      }
    }
  }

  @Test
  public void cancelledAndClosedHaveNoMovesAtAll() {
    for (JobStatus last : List.of(CANCELLED, CLOSED)) {
      assertTrue(last.isFinal());
      for (Actor actor : Actor.values()) {
        assertTrue(last + " by " + actor, StatusMachine.targets(last, actor).isEmpty());
        for (JobStatus to : JobStatus.values()) {
          assertFalse(StatusMachine.allowed(last, to, actor));
          StateConflictException e =
              assertThrows(
                  StateConflictException.class, () -> StatusMachine.check(last, to, actor));
          assertTrue(e.allowed().isEmpty());
        }
      }
    }
    // and nothing else is final
    for (JobStatus s : EnumSet.complementOf(EnumSet.of(CANCELLED, CLOSED))) {
      assertFalse(s.isFinal());
    }
  }

  @Test
  public void assignmentIsAllowedInTheStatusesApiMdNames() {
    assertEquals(
        EnumSet.of(NEW, SCHEDULED, DISPATCHED, EN_ROUTE, PAUSED, ON_HOLD),
        StatusMachine.ASSIGNABLE);
  }
}
