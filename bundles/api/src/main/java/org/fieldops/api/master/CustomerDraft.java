package org.fieldops.api.master;

import java.math.BigDecimal;

/** A customer as the office enters it. {@code name} and {@code currency} are required. */
public record CustomerDraft(
    String name, String billingAddress, String contact, BigDecimal taxRate, String currency) {}
