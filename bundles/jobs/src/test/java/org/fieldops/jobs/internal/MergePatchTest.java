package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fieldops.store.support.JsonSupport;
import org.fieldops.store.support.MergePatch;
import org.junit.Test;

public class MergePatchTest {
  public record Address(String street, String city, String zip) {}

  public record Draft(
      String name, Address address, List<String> tags, BigDecimal amount, Boolean flag) {}

  private final MergePatch mergePatch = new MergePatch(JsonSupport.strictMapper());
  private final Draft current =
      new Draft(
          "Acme",
          new Address("1 Main St", "Springfield", "12345"),
          List.of("a", "b"),
          new BigDecimal("1.50"),
          true);

  private static Map<String, Object> patch(Object... keyValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private Draft apply(Map<String, Object> patch) {
    return mergePatch.apply(current, patch, Draft.class, Set.of());
  }

  @Test
  public void anEmptyPatchChangesNothing() {
    assertEquals(current, apply(Map.of()));
  }

  @Test
  public void aNestedObjectMergesMemberByMember() {
    Draft d = apply(patch("address", patch("city", "Shelbyville")));
    assertEquals(new Address("1 Main St", "Shelbyville", "12345"), d.address());
    assertEquals("Acme", d.name());
  }

  @Test
  public void aNullMemberInANestedObjectRemovesIt() {
    assertEquals(
        new Address("1 Main St", "Springfield", null),
        apply(patch("address", patch("zip", null))).address());
  }

  @Test
  public void aNullTopLevelValueClearsTheField() {
    Draft d = apply(patch("address", null, "tags", null));
    assertNull(d.address());
    assertNull(d.tags());
  }

  @Test
  public void anObjectPatchOnANullFieldStartsFromEmpty() {
    Draft bare = new Draft("Acme", null, null, null, null);
    Draft d =
        mergePatch.apply(
            bare,
            patch("address", patch("city", "Springfield", "zip", null)),
            Draft.class,
            Set.of());
    assertEquals(new Address(null, "Springfield", null), d.address());
  }

  @Test
  public void arraysAreReplacedWhole() {
    assertEquals(List.of("c"), apply(patch("tags", List.of("c"))).tags());
  }

  @Test
  public void numbersKeepTheirDecimals() {
    assertEquals(new BigDecimal("0.10"), apply(patch("amount", new BigDecimal("0.10"))).amount());
    assertEquals(new BigDecimal("2.25"), apply(patch("amount", "2.25")).amount());
  }

  @Test
  public void aPatchOfAnotherFieldLeavesADecimalAsItWas() {
    Draft money = new Draft("Acme", null, null, new BigDecimal("100.00"), null);
    Draft d = mergePatch.apply(money, patch("name", "Acme Inc."), Draft.class, Set.of());
    assertEquals(new BigDecimal("100.00"), d.amount());
    assertEquals("100.00", d.amount().toString());
  }

  @Test
  public void unknownAndReadOnlyFieldsAreNamed() {
    invalid(() -> apply(patch("nope", 1, "id", "x", "updatedAt", "y")), "nope", "id", "updatedAt");
    invalid(
        () -> mergePatch.apply(current, patch("name", "B"), Draft.class, Set.of("name")), "name");
    invalid(() -> apply(patch("address", patch("country", "US"))), "address.country");
  }

  @Test
  public void wrongTypesAreNamedByPath() {
    invalid(() -> apply(patch("name", 5)), "name");
    invalid(() -> apply(patch("flag", "true")), "flag");
    invalid(() -> apply(patch("flag", 1)), "flag");
    invalid(() -> apply(patch("address", patch("zip", 12345))), "address.zip");
    invalid(() -> apply(patch("tags", List.of("ok", List.of("nested")))), "tags[1]");
    invalid(() -> apply(patch("address", "1 Main St")), "address");
  }

  @Test
  public void aNullPatchIsRefused() {
    invalid(() -> apply(null), "body");
  }
}
