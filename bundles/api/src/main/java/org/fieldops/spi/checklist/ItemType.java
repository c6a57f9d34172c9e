package org.fieldops.spi.checklist;

/** The kinds of checklist items, each with its own answer shape. */
public enum ItemType {
  /** answer: {@code true} or {@code false} */
  YES_NO,
  /** answer: a number, within {@code min}..{@code max} when given, in {@code unit} */
  NUMBER,
  /** answer: text of at most 10,000 characters */
  TEXT,
  /** answer: one of {@code choices} */
  CHOICE,
  /** answer: {@code {"sha256": "<64 hex>"}} of an uploaded photo */
  PHOTO
}
