package org.fieldops.jobs.internal;

import java.time.Instant;
import org.fieldops.api.jobs.Priority;

/** The fields of a job the office may edit with PATCH. */
record WorkOrderEdit(
    String title,
    String description,
    Priority priority,
    Instant windowStart,
    Instant windowEnd,
    Integer estimatedMinutes) {}
