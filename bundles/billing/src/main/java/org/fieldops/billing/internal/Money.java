package org.fieldops.billing.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/** Invoice arithmetic: BigDecimal only, half-even to cents per line; tax on the subtotal. */
final class Money {
  static final BigDecimal SIXTY = BigDecimal.valueOf(60);

  private Money() {}

  static BigDecimal cents(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_EVEN);
  }

  /** A line's amount: quantity × unit price, rounded half-even to cents. */
  static BigDecimal amount(BigDecimal quantity, BigDecimal unitPrice) {
    return cents(quantity.multiply(unitPrice));
  }

  /**
   * Hours billed for a period: its minutes rounded up to the billing increment (a started increment
   * counts whole), as hours with up to 4 decimals (15 min → 0.25).
   */
  static BigDecimal billedHours(Duration worked, int incrementMinutes) {
    long seconds = Math.max(0, worked.getSeconds());
    long increment = Math.max(1, incrementMinutes) * 60L;
    long increments = (seconds + increment - 1) / increment;
    BigDecimal hours =
        BigDecimal.valueOf(increments * increment)
            .divide(BigDecimal.valueOf(3600), 4, RoundingMode.HALF_EVEN)
            .stripTrailingZeros();
    return hours.scale() < 2 ? hours.setScale(2) : hours;
  }

  /** Tax on a subtotal: round(subtotal × rate) half-even to cents. */
  static BigDecimal tax(BigDecimal subtotal, BigDecimal rate) {
    return cents(subtotal.multiply(rate == null ? BigDecimal.ZERO : rate));
  }
}
