package org.fieldops.api.jobs;

import java.time.Instant;
import java.util.List;

/**
 * A job as the office creates it. Required: {@code customerId}, {@code siteId} (a site of that
 * customer), {@code title}, {@code type}. The window, when given, is {@code windowStart} before
 * {@code windowEnd}; equipment must be at the site.
 */
public record WorkOrderDraft(
    String customerId,
    String siteId,
    List<String> equipmentIds,
    String title,
    String description,
    String type,
    Priority priority,
    Instant windowStart,
    Instant windowEnd,
    Integer estimatedMinutes,
    List<FlatRateTaskRef> flatRateTasks) {}
