package org.fieldops.api.jobs;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A new line, in the field names technicians' events use: labor {@code {startedAt, endedAt,
 * rateCode}}, part {@code {sku, quantity}}, flat-rate {@code {code, quantity}}, note {@code
 * {text}}. {@code technicianId} optionally says whose work it is.
 */
public record LineDraft(
    LineKind kind,
    String rateCode,
    String sku,
    String code,
    BigDecimal quantity,
    Instant startedAt,
    Instant endedAt,
    String text,
    String technicianId) {}
