package org.fieldops.reports.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

public class RollupCodecTest {

  @Test
  public void rowsComeBackAsTheyWere() {
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    Map<String, Object> a = new HashMap<>();
    a.put("quantity", new BigDecimal("2.5000"));
    a.put("sku", "FILTER-20");
    a.put("name", "Filter 20x20 — 20″");
    a.put("oldest", Instant.parse("2026-03-02T16:05:00.123456789Z"));
    a.put("stale", true);
    a.put("lastSyncAt", null);
    rows.put("tech-1\u0000FILTER-20\u0000USD", a);
    rows.put("", new HashMap<>()); // a row that only exists
    Map<String, Map<String, Object>> back = RollupCodec.decode(RollupCodec.encode(rows));
    assertEquals(rows, back);
    assertTrue(back.get("tech-1\u0000FILTER-20\u0000USD").containsKey("lastSyncAt"));
    assertEquals(
        4, ((BigDecimal) back.get("tech-1\u0000FILTER-20\u0000USD").get("quantity")).scale());
  }

  @Test
  public void mergingAddsNumbersKeepsTheEarliestAndTheGreatestText() {
    Map<String, Map<String, Object>> day1 = new LinkedHashMap<>();
    day1.put(
        "k",
        new HashMap<>(
            Map.of(
                "n",
                new BigDecimal("1.50"),
                "at",
                Instant.parse("2026-03-02T10:00:00Z"),
                "name",
                "Belt")));
    Map<String, Map<String, Object>> day2 = new LinkedHashMap<>();
    day2.put(
        "k",
        new HashMap<>(
            Map.of(
                "n",
                new BigDecimal("2.25"),
                "at",
                Instant.parse("2026-03-01T10:00:00Z"),
                "name",
                "Belt 5")));
    Map<String, Object> empty = new HashMap<>();
    empty.put("n", null);
    day2.put("other", empty);
    Table t = new Table();
    RollupCodec.mergeInto(RollupCodec.encode(day1), t);
    RollupCodec.mergeInto(RollupCodec.encode(day2), t);
    assertEquals(new BigDecimal("3.75"), t.rows.get("k").get("n"));
    assertEquals(Instant.parse("2026-03-01T10:00:00Z"), t.rows.get("k").get("at"));
    assertEquals("Belt 5", t.rows.get("k").get("name"));
    assertNull(t.rows.get("other").get("n"));
    assertTrue(t.rows.get("other").containsKey("n"));
  }

  @Test
  public void anUnknownFormatIsRefused() {
    byte[] data = RollupCodec.encode(Map.of());
    byte[] raw;
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
      raw = in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    raw[0] = 9;
    var out = new java.io.ByteArrayOutputStream();
    try (var z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(raw);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThrows(IllegalStateException.class, () -> RollupCodec.decode(out.toByteArray()));
  }
}
