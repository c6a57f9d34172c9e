package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fieldops.api.ValidationException;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ItemType;
import org.junit.Test;

/** The platform's own check of an answer against its item: shape, range, choices. */
public class ChecklistAnswersTest {
  static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  static final ChecklistItem YES_NO =
      new ChecklistItem("ppe", "PPE worn", ItemType.YES_NO, true, null, null, null, null);
  static final ChecklistItem PRESSURE =
      new ChecklistItem(
          "psi",
          "Discharge pressure",
          ItemType.NUMBER,
          true,
          new BigDecimal("0"),
          new BigDecimal("300"),
          "psi",
          null);
  static final ChecklistItem ANY_NUMBER =
      new ChecklistItem("count", "Count", ItemType.NUMBER, true, null, null, null, null);
  static final ChecklistItem AT_LEAST =
      new ChecklistItem(
          "temp", "Temp", ItemType.NUMBER, true, new BigDecimal("-40.5"), null, null, null);
  static final ChecklistItem TEXT =
      new ChecklistItem("notes", "Notes", ItemType.TEXT, false, null, null, null, null);
  static final ChecklistItem CHOICE =
      new ChecklistItem(
          "motor",
          "Motor",
          ItemType.CHOICE,
          true,
          null,
          null,
          null,
          List.of("good", "worn", "replace"));
  static final ChecklistItem PHOTO =
      new ChecklistItem("photo", "Nameplate", ItemType.PHOTO, true, null, null, null, null);

  private static Object ok(ChecklistItem item, Object answer) {
    return ChecklistAnswers.canonical(item, answer, "answer");
  }

  private static String refused(ChecklistItem item, Object answer) {
    ValidationException e =
        invalid(() -> ChecklistAnswers.canonical(item, answer, "answer"), "answer");
    return e.errors().get(0).message();
  }

  private static Map<String, Object> photo(Object sha) {
    Map<String, Object> m = new HashMap<>();
    m.put("sha256", sha);
    return m;
  }

  // --- YES_NO ---

  @Test
  public void yesNoTakesABoolean() {
    assertEquals(Boolean.TRUE, ok(YES_NO, true));
    assertEquals(Boolean.FALSE, ok(YES_NO, false));
  }

  @Test
  public void yesNoRefusesAnythingElse() {
    refused(YES_NO, "yes");
    refused(YES_NO, "true");
    refused(YES_NO, 1);
    refused(YES_NO, null);
  }

  // --- NUMBER ---

  @Test
  public void aNumberInRangeIsADecimal() {
    assertEquals(new BigDecimal("42"), ok(PRESSURE, 42));
    assertEquals(new BigDecimal("42"), ok(PRESSURE, 42L));
    assertEquals(new BigDecimal("42.5"), ok(PRESSURE, 42.5));
    assertEquals(new BigDecimal("42.50"), ok(PRESSURE, new BigDecimal("42.50")));
    assertEquals(new BigDecimal("0"), ok(PRESSURE, 0));
    assertEquals(new BigDecimal("300"), ok(PRESSURE, 300));
    assertEquals(new BigDecimal("-40.5"), ok(AT_LEAST, new BigDecimal("-40.5")));
    assertEquals(new BigDecimal("1000000"), ok(AT_LEAST, 1_000_000));
    assertEquals(new BigDecimal("-7"), ok(ANY_NUMBER, -7));
  }

  @Test
  public void aNumberOutOfRangeIsRefusedNamingTheRangeAndUnit() {
    String message = refused(PRESSURE, new BigDecimal("300.01"));
    assertTrue(
        message, message.contains("0") && message.contains("300") && message.contains("psi"));
    refused(PRESSURE, -1);
    String below = refused(AT_LEAST, -41);
    assertTrue(below, below.contains("-40.5"));
  }

  @Test
  public void aNumberOfTheWrongShapeIsRefusedNamingTheUnit() {
    String message = refused(PRESSURE, "42");
    assertTrue(message, message.contains("number") && message.contains("psi"));
    refused(PRESSURE, true);
    refused(PRESSURE, null);
    refused(ANY_NUMBER, Map.of("value", 1));
  }

  @Test
  public void notANumberIsRefused() {
    refused(ANY_NUMBER, Double.NaN);
    refused(ANY_NUMBER, Double.POSITIVE_INFINITY);
    refused(PRESSURE, Float.NaN);
  }

  // --- TEXT ---

  @Test
  public void textUpTo10000CharactersIsTaken() {
    assertEquals("no hazards", ok(TEXT, "no hazards"));
    String longest = "x".repeat(10_000);
    assertEquals(longest, ok(TEXT, longest));
  }

  @Test
  public void blankOrTooLongTextIsRefused() {
    refused(TEXT, "");
    refused(TEXT, "   \n\t");
    refused(TEXT, "x".repeat(10_001));
    refused(TEXT, 5);
    refused(TEXT, null);
  }

  // --- CHOICE ---

  @Test
  public void aChoiceMustBeOneOfTheChoices() {
    assertEquals("worn", ok(CHOICE, "worn"));
    String message = refused(CHOICE, "broken");
    assertTrue(
        message,
        message.contains("good") && message.contains("worn") && message.contains("replace"));
    refused(CHOICE, "Worn");
    refused(CHOICE, " worn");
    refused(CHOICE, 1);
    refused(CHOICE, null);
  }

  // --- PHOTO ---

  @Test
  public void aPhotoIsItsSha256() {
    assertEquals(SHA, ok(PHOTO, Map.of("sha256", SHA)));
  }

  @Test
  public void aPhotoWithBadHexIsRefused() {
    refused(PHOTO, Map.of("sha256", SHA.substring(1)));
    refused(PHOTO, Map.of("sha256", SHA + "0"));
    refused(PHOTO, Map.of("sha256", SHA.toUpperCase()));
    refused(PHOTO, Map.of("sha256", SHA.replace('a', 'g')));
    refused(PHOTO, photo(null));
    refused(PHOTO, Map.of("sha", SHA));
    refused(PHOTO, Map.of("sha256", 12));
    refused(PHOTO, true);
    refused(PHOTO, null);
  }

  @Test
  public void theErrorIsOnTheGivenField() {
    ValidationException e =
        invalid(
            () -> ChecklistAnswers.canonical(YES_NO, "yes", "events[3].answer"),
            "events[3].answer");
    assertEquals(1, e.errors().size());
  }
}
