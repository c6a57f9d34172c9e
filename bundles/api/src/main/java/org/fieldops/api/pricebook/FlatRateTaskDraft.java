package org.fieldops.api.pricebook;

import java.math.BigDecimal;

/** A new flat-rate task. All fields but {@code active} (default true) are required. */
public record FlatRateTaskDraft(
    String code, String name, BigDecimal price, String currency, Boolean active) {}
