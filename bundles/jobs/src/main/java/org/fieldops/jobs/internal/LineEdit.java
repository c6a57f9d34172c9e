package org.fieldops.jobs.internal;

import java.math.BigDecimal;
import java.time.Instant;

/** The fields of a line the office may correct with PATCH. */
record LineEdit(
    BigDecimal quantity,
    Instant startedAt,
    Instant endedAt,
    String text,
    String technicianId,
    Boolean voided) {}
