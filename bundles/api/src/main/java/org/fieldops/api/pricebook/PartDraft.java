package org.fieldops.api.pricebook;

import java.math.BigDecimal;

/** A new part. All fields but {@code active} (default true) are required. */
public record PartDraft(
    String sku, String name, BigDecimal unitPrice, String currency, Boolean active) {}
