package org.fieldops.client.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.Test;

public class BackoffTest {

  @Test
  public void ceilingsDoubleUpToTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.999999);
    long[] expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    for (long ceiling : expected) {
      assertEquals(ceiling, b.ceiling().toMillis());
      long wait = b.failure(null).toMillis();
      assertTrue(wait + " <= " + ceiling, wait <= ceiling && wait >= ceiling - 1);
    }
    assertEquals(expected.length, b.failures());
  }

  /** Full jitter: uniform between 0 and the ceiling, not "ceiling plus a little". */
  @Test
  public void waitsAreUniformBetweenZeroAndTheCeiling() {
    Random random = new Random(42);
    long min = Long.MAX_VALUE;
    long max = 0;
    double sum = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), random::nextDouble);
      b.failure(null);
      b.failure(null);
      long w = b.failure(null).toMillis(); // third failure: ceiling 4 s
      min = Math.min(min, w);
      max = Math.max(max, w);
      sum += w;
    }
    assertTrue("min " + min, min < 50);
    assertTrue("max " + max, max <= 4000 && max > 3950);
    double mean = sum / n;
    assertTrue("mean " + mean, Math.abs(mean - 2000) < 60);
  }

  @Test
  public void retryAfterIsAFloor() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.0);
    assertEquals(Duration.ofSeconds(7), b.failure(7));
    assertEquals(Duration.ZERO, b.failure(null));
  }

  @Test
  public void resetStartsOverAndManyFailuresDoNotOverflow() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.5);
    for (int i = 0; i < 200; i++) {
      Duration w = b.failure(null);
      assertTrue(w.toMillis() >= 0 && w.toMillis() <= 150_000);
    }
    assertEquals(Duration.ofMinutes(5), b.ceiling());
    b.reset();
    assertEquals(Duration.ofSeconds(1), b.ceiling());
    assertEquals(0, b.failures());
  }
}
