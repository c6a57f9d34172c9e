package org.fieldops.api.sync;

/** What happened to an uploaded event. */
public enum Outcome {
  /** stored and applied */
  APPLIED,
  /** this device sent this opId before; the first outcome is repeated */
  DUPLICATE,
  /** a conflict a policy decided */
  MERGED,
  /** stored, held for office review */
  REVIEW,
  /** stored, not applied; {@code reason} says why */
  REJECTED
}
