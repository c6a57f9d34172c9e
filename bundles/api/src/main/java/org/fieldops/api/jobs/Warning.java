package org.fieldops.api.jobs;

/**
 * Something the office should know about an accepted change, e.g. {@code DOUBLE_BOOKED} or {@code
 * MISSING_SKILL}.
 */
public record Warning(String code, String message) {}
