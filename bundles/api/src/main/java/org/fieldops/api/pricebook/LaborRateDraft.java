package org.fieldops.api.pricebook;

import java.math.BigDecimal;

/** A new labor rate. All fields but {@code active} (default true) are required. */
public record LaborRateDraft(
    String code, String name, BigDecimal hourlyRate, String currency, Boolean active) {}
