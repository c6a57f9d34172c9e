package org.fieldops.api.jobs;

import java.time.Instant;

/**
 * The latest answer to one checklist item.
 *
 * @param value {@code Boolean}, a decimal number, text, or for photos {@code {"sha256": ...}}
 */
public record ChecklistAnswer(String itemId, Object value, Instant answeredAt, String answeredBy) {}
