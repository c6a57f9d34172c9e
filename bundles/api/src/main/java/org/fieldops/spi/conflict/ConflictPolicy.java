package org.fieldops.spi.conflict;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides conflicts on shared facts (site access notes, equipment serial numbers and models) that a
 * technician changed offline while someone else changed them on the server.
 *
 * <p><b>When it is called.</b> Only for a real conflict: the device's {@code base} differs from the
 * server's current value and the server value was last written by someone other than this device. A
 * change with no intervening write is applied without asking any policy; append-only facts
 * (checklist answers, labor, parts, notes, photos) never conflict; office-owned fields (window,
 * assignment, prices) are never offered to policies.
 *
 * <p><b>Order.</b> Register implementations as OSGi services of this interface. They are asked in
 * descending {@code service.ranking} order (ties: lower {@code service.id} first); the first that
 * returns a decision wins; {@code null} means "passes" and the next policy is asked. The built-in
 * default policy has ranking {@code Integer.MIN_VALUE} and always decides: KEEP_SERVER when both
 * values are already equal, else REVIEW (the office decides). Policies are picked up and dropped at
 * runtime (a bundle in {@code deploy/}).
 *
 * <p><b>Decisions.</b> {@link Decision.Kind#KEEP_SERVER}: the server value stays, the event is
 * answered {@code MERGED} with the server value. {@link Decision.Kind#TAKE_DEVICE}: the device
 * value is stored with a new version, answered {@code MERGED}. {@link Decision.Kind#MERGE}: the
 * given value is stored. {@link Decision.Kind#REVIEW}: nothing changes; an open review is created
 * for the office ({@code GET /reviews}) and the event answered {@code REVIEW} with its id. Every
 * decision is audited with the policy's name.
 *
 * <p><b>Time bound and isolation.</b> A call must return within 500 ms; it runs on a small thread
 * pool of the platform, never while the ingest holds database locks, and the conflict it sees may
 * already be stale when it answers (the platform re-checks and asks again if the server value moved
 * meanwhile). An exception, a time-out or an invalid decision counts as "passes", is logged with
 * the bundle name, shows the policy FAILING in {@code GET /plugins}, and after 5 failures in a row
 * the policy is skipped for 60 seconds (circuit breaker). Implementations must be thread-safe and
 * must not block on I/O they do not bound themselves.
 */
@ConsumerType
public interface ConflictPolicy {

  /** The service property naming a policy in results and audit (defaults to the class name). */
  String NAME = "fieldops.policy.name";

  /**
   * @return the decision, or {@code null} to pass to the next policy
   */
  Decision decide(FieldConflict conflict);
}
