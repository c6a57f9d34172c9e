package org.fieldops.api.jobs;

/** What a time & materials line records. */
public enum LineKind {
  /** time worked under a labor rate code, from {@code startedAt} to {@code endedAt} */
  LABOR,
  /** a quantity of a part by SKU */
  PART,
  /** a quantity of a flat-rate task */
  FLAT_RATE,
  /** free text */
  NOTE
}
