package org.fieldops.jobs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.fieldops.api.FieldError;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.pricebook.FlatRateTask;
import org.fieldops.api.pricebook.FlatRateTaskDraft;
import org.fieldops.api.pricebook.LaborRate;
import org.fieldops.api.pricebook.LaborRateDraft;
import org.fieldops.api.pricebook.Part;
import org.fieldops.api.pricebook.PartDraft;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.store.PriceEntity;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/**
 * The price book on a real (in-memory Derby) store: labor rates, parts and flat-rate tasks in
 * FO_PRICE.
 */
public class PriceBookServiceImplTest {
  static final Instant T0 = Instant.parse("2026-11-25T08:30:00Z");
  static final Caller ADMIN = new Caller("ada", Set.of(Role.ADMIN));

  @Rule public final TestDatabase db = new TestDatabase();

  private final MovingClock clock = new MovingClock(T0);
  private PriceBookServiceImpl prices;

  @Before
  public void setUp() {
    prices = new PriceBookServiceImpl(db, clock);
  }

  // --- helpers ---

  /** A clock the test moves by hand. */
  static final class MovingClock extends Clock {
    private volatile Instant now;

    MovingClock(Instant start) {
      now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static Map<String, Object> patch(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /** The call fails validation naming exactly these fields, each with a message. */
  private static ValidationException invalid(ThrowingRunnable call, String... fields) {
    ValidationException e = assertThrows(ValidationException.class, call);
    assertEquals(e.errors().toString(), new TreeSet<>(Set.of(fields)), fields(e));
    for (FieldError error : e.errors()) {
      assertFalse(error.toString(), error.message().isBlank());
    }
    return e;
  }

  private static Set<String> fields(ValidationException e) {
    Set<String> out = new TreeSet<>();
    e.errors().forEach(err -> out.add(err.field()));
    return out;
  }

  private LaborRate labor(String code, String rate) {
    return prices.createLaborRate(
        new LaborRateDraft(code, "Rate " + code, new BigDecimal(rate), "USD", null), ADMIN);
  }

  private Part part(String sku, String price) {
    return prices.createPart(
        new PartDraft(sku, "Part " + sku, new BigDecimal(price), "USD", null), ADMIN);
  }

  private FlatRateTask task(String code, String price) {
    return prices.createFlatRateTask(
        new FlatRateTaskDraft(code, "Task " + code, new BigDecimal(price), "USD", null), ADMIN);
  }

  private long rows() {
    return db.read(
        em -> em.createQuery("SELECT COUNT(p) FROM PriceEntity p", Long.class).getSingleResult());
  }

  /** Every page of a list, following the cursors; checks the page sizes on the way. */
  private static <T> List<T> all(
      Function<PageRequest, Page<T>> list, int limit, List<Integer> sizes) {
    List<T> out = new ArrayList<>();
    String cursor = null;
    for (int guard = 0; guard < 100; guard++) {
      Page<T> page = list.apply(new PageRequest(limit, cursor));
      sizes.add(page.items().size());
      out.addAll(page.items());
      cursor = page.nextCursor();
      if (cursor == null) {
        return out;
      }
    }
    throw new AssertionError("the cursors never ended");
  }

  // --- create ---

  @Test
  public void createsALaborRateAtVersionOneWithMoneyInCents() {
    LaborRate r =
        prices.createLaborRate(
            new LaborRateDraft("STD", "  Standard hour ", new BigDecimal("149"), "USD", null),
            ADMIN);
    assertEquals("STD", r.code());
    assertEquals("Standard hour", r.name());
    assertEquals(new BigDecimal("149.00"), r.hourlyRate());
    assertEquals("USD", r.currency());
    assertTrue(r.active());
    assertEquals(1L, r.version());
    assertEquals(T0, r.updatedAt());
    assertEquals(r, prices.laborRate("STD"));
    assertEquals(r, prices.activeLaborRate("STD").orElseThrow());

    PriceEntity row = db.read(em -> em.find(PriceEntity.class, "LABOR:STD"));
    assertEquals("LABOR", row.kind);
    assertEquals("STD", row.code);
    assertEquals("ada", row.updatedBy);
    assertEquals(T0, row.createdAt);
    assertEquals(0, new BigDecimal("149").compareTo(row.price));
  }

  @Test
  public void createsAPartWithTheSameMoneyRules() {
    Part p =
        prices.createPart(
            new PartDraft("FLT-20x25", "Filter 20x25", new BigDecimal("18.4"), "EUR", true), ADMIN);
    assertEquals("FLT-20x25", p.sku());
    assertEquals("Filter 20x25", p.name());
    assertEquals(new BigDecimal("18.40"), p.unitPrice());
    assertEquals("EUR", p.currency());
    assertTrue(p.active());
    assertEquals(1L, p.version());
    assertEquals(p, prices.part("FLT-20x25"));
    assertEquals(p, prices.activePart("FLT-20x25").orElseThrow());
  }

  @Test
  public void createsAFlatRateTaskKeepingFourDecimals() {
    FlatRateTask t =
        prices.createFlatRateTask(
            new FlatRateTaskDraft("pm.visit_1", "PM visit", new BigDecimal("1.2345"), "USD", null),
            ADMIN);
    assertEquals("pm.visit_1", t.code());
    assertEquals(new BigDecimal("1.2345"), t.price());
    assertEquals(1L, t.version());
    assertEquals(t, prices.flatRateTask("pm.visit_1"));
    assertEquals(new BigDecimal("1.2345"), prices.flatRateTask("pm.visit_1").price());
    assertEquals(t, prices.activeFlatRateTask("pm.visit_1").orElseThrow());
  }

  @Test
  public void moneyIsShownWithAtLeastTwoDecimalsAndNoMoreThanItHas() {
    assertEquals(new BigDecimal("149.00"), labor("A", "149").hourlyRate());
    assertEquals(new BigDecimal("18.40"), labor("B", "18.4").hourlyRate());
    assertEquals(new BigDecimal("1.2345"), labor("C", "1.2345").hourlyRate());
    assertEquals(new BigDecimal("12.30"), labor("D", "12.3000").hourlyRate());
    assertEquals(new BigDecimal("100.00"), labor("E", "1E+2").hourlyRate());
    assertEquals(new BigDecimal("0.00"), labor("F", "0").hourlyRate());
    // read back from the database (DECIMAL(19,4)) the same way
    assertEquals(new BigDecimal("149.00"), prices.laborRate("A").hourlyRate());
    assertEquals(new BigDecimal("18.40"), prices.laborRate("B").hourlyRate());
    assertEquals(new BigDecimal("1.2345"), prices.laborRate("C").hourlyRate());
    assertEquals(new BigDecimal("12.30"), prices.laborRate("D").hourlyRate());
    assertEquals(new BigDecimal("100.00"), prices.laborRate("E").hourlyRate());
    assertEquals(new BigDecimal("0.00"), prices.laborRate("F").hourlyRate());
    assertEquals(new BigDecimal("18.40"), part("P", "18.4").unitPrice());
    assertEquals(new BigDecimal("149.00"), task("T", "149").price());
  }

  @Test
  public void activeDefaultsToTrueAndAnEntryMayBeCreatedInactive() {
    Part p =
        prices.createPart(
            new PartDraft("OLD", "Old part", new BigDecimal("1"), "USD", false), ADMIN);
    assertFalse(p.active());
    assertFalse(prices.part("OLD").active());
    assertTrue(prices.activePart("OLD").isEmpty());
  }

  @Test
  public void aDuplicateCodeIsAConflictWithinItsKind() {
    labor("STD", "100");
    part("X-1", "5");
    task("PM", "99");
    assertThrows(StateConflictException.class, () -> labor("STD", "120"));
    assertThrows(StateConflictException.class, () -> part("X-1", "6"));
    assertThrows(StateConflictException.class, () -> task("PM", "98"));
    // the first one stays as it was
    assertEquals(new BigDecimal("100.00"), prices.laborRate("STD").hourlyRate());
    assertEquals(1L, prices.laborRate("STD").version());
    assertEquals(3L, rows());
  }

  @Test
  public void theSameCodeMayBeUsedByEachKind() {
    labor("X", "100");
    part("X", "5");
    task("X", "50");
    assertEquals(new BigDecimal("100.00"), prices.laborRate("X").hourlyRate());
    assertEquals(new BigDecimal("5.00"), prices.part("X").unitPrice());
    assertEquals(new BigDecimal("50.00"), prices.flatRateTask("X").price());
    assertEquals(3L, rows());
  }

  @Test
  public void aBadCodeIsRefusedByItsApiName() {
    for (String bad :
        new String[] {
          null, "", "has space", "-dash-first", ".dot", "x".repeat(65), "caf\u00e9", "a/b", "a:b"
        }) {
      invalid(
          () ->
              prices.createLaborRate(
                  new LaborRateDraft(bad, "N", BigDecimal.TEN, "USD", null), ADMIN),
          "code");
      invalid(
          () -> prices.createPart(new PartDraft(bad, "N", BigDecimal.TEN, "USD", null), ADMIN),
          "sku");
      invalid(
          () ->
              prices.createFlatRateTask(
                  new FlatRateTaskDraft(bad, "N", BigDecimal.TEN, "USD", null), ADMIN),
          "code");
    }
    // 64 characters, digits first and the allowed punctuation are fine
    labor("x".repeat(64), "1");
    labor("9a.b_c-d", "1");
    assertEquals(2L, rows());
  }

  @Test
  public void theNameIsRequiredAndNotBlank() {
    invalid(
        () ->
            prices.createLaborRate(
                new LaborRateDraft("A", null, BigDecimal.TEN, "USD", null), ADMIN),
        "name");
    invalid(
        () ->
            prices.createLaborRate(
                new LaborRateDraft("A", "   ", BigDecimal.TEN, "USD", null), ADMIN),
        "name");
    invalid(
        () -> prices.createPart(new PartDraft("A", "", BigDecimal.TEN, "USD", null), ADMIN),
        "name");
    invalid(
        () ->
            prices.createFlatRateTask(
                new FlatRateTaskDraft("A", " ", BigDecimal.TEN, "USD", null), ADMIN),
        "name");
    invalid(
        () ->
            prices.createPart(
                new PartDraft("A", "n".repeat(201), BigDecimal.TEN, "USD", null), ADMIN),
        "name");
    assertEquals(0L, rows());
  }

  @Test
  public void aNegativePriceIsRefusedByTheKindsPriceName() {
    invalid(
        () ->
            prices.createLaborRate(
                new LaborRateDraft("A", "N", new BigDecimal("-1"), "USD", null), ADMIN),
        "hourlyRate");
    invalid(
        () ->
            prices.createPart(new PartDraft("A", "N", new BigDecimal("-0.01"), "USD", null), ADMIN),
        "unitPrice");
    invalid(
        () ->
            prices.createFlatRateTask(
                new FlatRateTaskDraft("A", "N", new BigDecimal("-100"), "USD", null), ADMIN),
        "price");
    assertEquals(0L, rows());
  }

  @Test
  public void aMissingOrTooLargePriceIsRefused() {
    invalid(
        () -> prices.createLaborRate(new LaborRateDraft("A", "N", null, "USD", null), ADMIN),
        "hourlyRate");
    invalid(
        () -> prices.createPart(new PartDraft("A", "N", null, "USD", null), ADMIN), "unitPrice");
    invalid(
        () -> prices.createFlatRateTask(new FlatRateTaskDraft("A", "N", null, "USD", null), ADMIN),
        "price");
    invalid(
        () ->
            prices.createPart(
                new PartDraft("A", "N", new BigDecimal("1000000000"), "USD", null), ADMIN),
        "unitPrice");
    assertEquals(0L, rows());
  }

  @Test
  public void fiveDecimalsAreRefusedFourAreNot() {
    invalid(
        () ->
            prices.createLaborRate(
                new LaborRateDraft("A", "N", new BigDecimal("1.23456"), "USD", null), ADMIN),
        "hourlyRate");
    invalid(
        () ->
            prices.createPart(
                new PartDraft("A", "N", new BigDecimal("0.00001"), "USD", null), ADMIN),
        "unitPrice");
    invalid(
        () ->
            prices.createFlatRateTask(
                new FlatRateTaskDraft("A", "N", new BigDecimal("10.12345"), "USD", null), ADMIN),
        "price");
    // trailing zeros beyond four decimals are not extra precision
    assertEquals(new BigDecimal("1.2345"), labor("A", "1.234500").hourlyRate());
    assertEquals(1L, rows());
  }

  @Test
  public void aBadCurrencyIsRefused() {
    for (String bad : new String[] {null, "", "usd", "US", "USDX", "QQQ", "12$"}) {
      invalid(
          () ->
              prices.createLaborRate(
                  new LaborRateDraft("A", "N", BigDecimal.TEN, bad, null), ADMIN),
          "currency");
      invalid(
          () -> prices.createPart(new PartDraft("A", "N", BigDecimal.TEN, bad, null), ADMIN),
          "currency");
      invalid(
          () ->
              prices.createFlatRateTask(
                  new FlatRateTaskDraft("A", "N", BigDecimal.TEN, bad, null), ADMIN),
          "currency");
    }
    assertEquals(0L, rows());
  }

  @Test
  public void everyBadFieldIsNamedAtOnce() {
    invalid(
        () ->
            prices.createLaborRate(
                new LaborRateDraft("bad code", " ", new BigDecimal("-1.00001"), "usd", null),
                ADMIN),
        "code",
        "name",
        "hourlyRate",
        "currency");
    invalid(
        () -> prices.createPart(new PartDraft(null, null, null, null, null), ADMIN),
        "sku",
        "name",
        "unitPrice",
        "currency");
  }

  @Test
  public void aMissingDraftIsRefused() {
    invalid(() -> prices.createLaborRate(null, ADMIN), "body");
    invalid(() -> prices.createPart(null, ADMIN), "body");
    invalid(() -> prices.createFlatRateTask(null, ADMIN), "body");
  }

  // --- get ---

  @Test
  public void getOfAnUnknownCodeIsNotFound() {
    labor("STD", "100");
    assertThrows(NotFoundException.class, () -> prices.laborRate("NOPE"));
    assertThrows(NotFoundException.class, () -> prices.laborRate(null));
    assertThrows(NotFoundException.class, () -> prices.part("NOPE"));
    assertThrows(NotFoundException.class, () -> prices.flatRateTask("NOPE"));
    // a code of another kind is not found either
    assertThrows(NotFoundException.class, () -> prices.part("STD"));
    assertThrows(NotFoundException.class, () -> prices.flatRateTask("STD"));
    assertTrue(prices.activeLaborRate("NOPE").isEmpty());
    assertTrue(prices.activeLaborRate(null).isEmpty());
    assertTrue(prices.activePart("STD").isEmpty());
    assertTrue(prices.activeFlatRateTask("STD").isEmpty());
  }

  // --- list ---

  @Test
  public void listsPageInCodeOrderWithCursors() {
    for (String code : List.of("E", "B", "G", "A", "D", "C", "F")) {
      labor(code, "10");
    }
    part("P1", "1");
    task("T1", "1");

    Page<LaborRate> first = prices.laborRates(PageRequest.first(3));
    assertEquals(List.of("A", "B", "C"), first.items().stream().map(LaborRate::code).toList());
    assertTrue(first.nextCursor() != null);
    Page<LaborRate> second = prices.laborRates(new PageRequest(3, first.nextCursor()));
    assertEquals(List.of("D", "E", "F"), second.items().stream().map(LaborRate::code).toList());
    Page<LaborRate> third = prices.laborRates(new PageRequest(3, second.nextCursor()));
    assertEquals(List.of("G"), third.items().stream().map(LaborRate::code).toList());
    assertNull(third.nextCursor());

    List<Integer> sizes = new ArrayList<>();
    assertEquals(
        List.of("A", "B", "C", "D", "E", "F", "G"),
        all(prices::laborRates, 2, sizes).stream().map(LaborRate::code).toList());
    assertEquals(List.of(2, 2, 2, 1), sizes);
    // an exact multiple of the limit ends without an empty page
    sizes.clear();
    assertEquals(7, all(prices::laborRates, 7, sizes).size());
    assertEquals(List.of(7), sizes);

    // each kind lists only its own entries
    assertEquals(
        List.of("P1"),
        prices.parts(PageRequest.first(50)).items().stream().map(Part::sku).toList());
    assertEquals(
        List.of("T1"),
        prices.flatRateTasks(PageRequest.first(50)).items().stream()
            .map(FlatRateTask::code)
            .toList());
    assertNull(prices.parts(PageRequest.first(50)).nextCursor());
  }

  @Test
  public void partsAndTasksPageToo() {
    for (String sku : List.of("SKU-3", "SKU-1", "SKU-2")) {
      part(sku, "1.5");
      task("task-" + sku, "2");
    }
    List<Integer> sizes = new ArrayList<>();
    assertEquals(
        List.of("SKU-1", "SKU-2", "SKU-3"),
        all(prices::parts, 1, sizes).stream().map(Part::sku).toList());
    assertEquals(List.of(1, 1, 1), sizes);
    assertEquals(
        List.of("task-SKU-1", "task-SKU-2", "task-SKU-3"),
        all(prices::flatRateTasks, 2, new ArrayList<>()).stream().map(FlatRateTask::code).toList());
    assertEquals(
        new BigDecimal("1.50"), prices.parts(PageRequest.first(1)).items().get(0).unitPrice());
  }

  @Test
  public void anEmptyListHasNoCursor() {
    Page<LaborRate> page = prices.laborRates(PageRequest.first(10));
    assertTrue(page.items().isEmpty());
    assertNull(page.nextCursor());
  }

  @Test
  public void aForeignCursorIsRefused() {
    labor("A", "1");
    invalid(() -> prices.laborRates(new PageRequest(10, "not a cursor!")), "cursor");
  }

  // --- update ---

  @Test
  public void anUpdateWithTheRightVersionChangesThePriceAndBumpsTheVersion() {
    labor("STD", "100");
    clock.advance(Duration.ofMinutes(5));
    LaborRate r =
        prices.updateLaborRate("STD", 1, patch("hourlyRate", new BigDecimal("125.5")), ADMIN);
    assertEquals(2L, r.version());
    assertEquals(new BigDecimal("125.50"), r.hourlyRate());
    assertEquals(T0.plus(Duration.ofMinutes(5)), r.updatedAt());
    assertEquals("Rate STD", r.name());
    assertEquals(r, prices.laborRate("STD"));
    assertEquals(r, prices.activeLaborRate("STD").orElseThrow());

    LaborRate again =
        prices.updateLaborRate("STD", 2, patch("name", "Standard", "currency", "CAD"), ADMIN);
    assertEquals(3L, again.version());
    assertEquals("Standard", again.name());
    assertEquals("CAD", again.currency());
    assertEquals(new BigDecimal("125.50"), again.hourlyRate());
  }

  @Test
  public void partsAndTasksUpdateByTheirOwnPriceName() {
    part("SKU", "18.4");
    task("PM", "149");
    Part p = prices.updatePart("SKU", 1, patch("unitPrice", 19), ADMIN);
    assertEquals(2L, p.version());
    assertEquals(new BigDecimal("19.00"), p.unitPrice());
    FlatRateTask t =
        prices.updateFlatRateTask("PM", 1, patch("price", new BigDecimal("1.2345")), ADMIN);
    assertEquals(2L, t.version());
    assertEquals(new BigDecimal("1.2345"), t.price());
    assertEquals(t, prices.flatRateTask("PM"));
    assertEquals("ada", db.read(em -> em.find(PriceEntity.class, "PART:SKU").updatedBy));
  }

  @Test
  public void aStaleVersionIsAMismatchWithTheCurrentVersion() {
    labor("STD", "100");
    prices.updateLaborRate("STD", 1, patch("hourlyRate", 110), ADMIN);
    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () -> prices.updateLaborRate("STD", 1, patch("hourlyRate", 120), ADMIN));
    assertEquals(2L, e.currentVersion());
    assertEquals(new BigDecimal("110.00"), prices.laborRate("STD").hourlyRate());

    part("SKU", "1");
    VersionMismatchException p =
        assertThrows(
            VersionMismatchException.class,
            () -> prices.updatePart("SKU", 7, patch("unitPrice", 2), ADMIN));
    assertEquals(1L, p.currentVersion());
    task("PM", "1");
    VersionMismatchException t =
        assertThrows(
            VersionMismatchException.class,
            () -> prices.updateFlatRateTask("PM", 0, patch("price", 2), ADMIN));
    assertEquals(1L, t.currentVersion());
  }

  @Test
  public void anUpdateOfAnUnknownCodeIsNotFound() {
    assertThrows(
        NotFoundException.class,
        () -> prices.updateLaborRate("NOPE", 1, patch("hourlyRate", 1), ADMIN));
    part("SKU", "1");
    assertThrows(
        NotFoundException.class,
        () -> prices.updateFlatRateTask("SKU", 1, patch("price", 1), ADMIN));
  }

  @Test
  public void theCodeAndSkuAreReadOnly() {
    labor("STD", "100");
    part("SKU", "1");
    task("PM", "1");
    ValidationException e =
        invalid(() -> prices.updateLaborRate("STD", 1, patch("code", "NEW"), ADMIN), "code");
    assertTrue(e.errors().get(0).message(), e.errors().get(0).message().contains("read-only"));
    e = invalid(() -> prices.updatePart("SKU", 1, patch("sku", "NEW"), ADMIN), "sku");
    assertTrue(e.errors().get(0).message(), e.errors().get(0).message().contains("read-only"));
    invalid(() -> prices.updateFlatRateTask("PM", 1, patch("code", "NEW"), ADMIN), "code");
    invalid(() -> prices.updatePart("SKU", 1, patch("version", 5), ADMIN), "version");
    invalid(
        () -> prices.updatePart("SKU", 1, patch("updatedAt", "2026-01-01T00:00:00Z"), ADMIN),
        "updatedAt");
    // together with a good change: nothing is applied
    invalid(() -> prices.updatePart("SKU", 1, patch("unitPrice", 2, "sku", "NEW"), ADMIN), "sku");
    assertEquals(1L, prices.part("SKU").version());
    assertEquals(new BigDecimal("1.00"), prices.part("SKU").unitPrice());
    assertEquals(1L, prices.laborRate("STD").version());
    assertThrows(NotFoundException.class, () -> prices.laborRate("NEW"));
  }

  @Test
  public void anotherKindsPriceNameIsNotAField() {
    labor("STD", "100");
    part("SKU", "1");
    task("PM", "1");
    ValidationException e =
        invalid(() -> prices.updatePart("SKU", 1, patch("price", 2), ADMIN), "price");
    assertTrue(e.errors().get(0).message(), e.errors().get(0).message().contains("not a field"));
    invalid(() -> prices.updatePart("SKU", 1, patch("hourlyRate", 2), ADMIN), "hourlyRate");
    invalid(() -> prices.updateLaborRate("STD", 1, patch("price", 2), ADMIN), "price");
    invalid(() -> prices.updateLaborRate("STD", 1, patch("unitPrice", 2), ADMIN), "unitPrice");
    invalid(() -> prices.updateFlatRateTask("PM", 1, patch("unitPrice", 2), ADMIN), "unitPrice");
    invalid(() -> prices.updateFlatRateTask("PM", 1, patch("colour", "red"), ADMIN), "colour");
    assertEquals(new BigDecimal("1.00"), prices.part("SKU").unitPrice());
    assertEquals(1L, prices.part("SKU").version());
  }

  @Test
  public void aWrongTypeForThePriceIsNamedByTheApiPriceName() {
    labor("STD", "100");
    part("SKU", "1");
    task("PM", "1");
    invalid(
        () -> prices.updateLaborRate("STD", 1, patch("hourlyRate", "a lot"), ADMIN), "hourlyRate");
    invalid(() -> prices.updateLaborRate("STD", 1, patch("hourlyRate", true), ADMIN), "hourlyRate");
    invalid(
        () -> prices.updatePart("SKU", 1, patch("unitPrice", List.of(1, 2)), ADMIN), "unitPrice");
    invalid(
        () -> prices.updatePart("SKU", 1, patch("unitPrice", Map.of("amount", 1)), ADMIN),
        "unitPrice");
    invalid(() -> prices.updateFlatRateTask("PM", 1, patch("price", "cheap"), ADMIN), "price");
    // other fields by their own names
    invalid(() -> prices.updatePart("SKU", 1, patch("name", 42), ADMIN), "name");
    invalid(() -> prices.updatePart("SKU", 1, patch("active", "no"), ADMIN), "active");
    assertEquals(1L, prices.part("SKU").version());
  }

  @Test
  public void anUpdateIsValidatedLikeACreate() {
    labor("STD", "100");
    invalid(() -> prices.updateLaborRate("STD", 1, patch("hourlyRate", -5), ADMIN), "hourlyRate");
    invalid(
        () ->
            prices.updateLaborRate("STD", 1, patch("hourlyRate", new BigDecimal("1.23456")), ADMIN),
        "hourlyRate");
    invalid(() -> prices.updateLaborRate("STD", 1, patch("hourlyRate", null), ADMIN), "hourlyRate");
    invalid(() -> prices.updateLaborRate("STD", 1, patch("currency", "usd"), ADMIN), "currency");
    invalid(() -> prices.updateLaborRate("STD", 1, patch("name", " "), ADMIN), "name");
    invalid(() -> prices.updateLaborRate("STD", 1, patch("name", null), ADMIN), "name");
    invalid(() -> prices.updateLaborRate("STD", 1, null, ADMIN), "body");
    LaborRate r = prices.laborRate("STD");
    assertEquals(1L, r.version());
    assertEquals(new BigDecimal("100.00"), r.hourlyRate());
    assertTrue(r.active());
  }

  @Test
  public void anEmptyOrNoOpPatchKeepsTheVersion() {
    LaborRate created = labor("STD", "149");
    clock.advance(Duration.ofMinutes(1));
    assertEquals(created, prices.updateLaborRate("STD", 1, patch(), ADMIN));
    assertEquals(
        created,
        prices.updateLaborRate(
            "STD", 1, patch("name", "Rate STD", "currency", "USD", "active", true), ADMIN));
    assertEquals(
        created,
        prices.updateLaborRate("STD", 1, patch("hourlyRate", new BigDecimal("149.00")), ADMIN));
    // the same amount written another way is the same price
    assertEquals(created, prices.updateLaborRate("STD", 1, patch("hourlyRate", 149), ADMIN));
    assertEquals(created, prices.laborRate("STD"));

    Part p = part("SKU", "18.4");
    assertEquals(p, prices.updatePart("SKU", 1, patch("unitPrice", new BigDecimal("18.4")), ADMIN));
    assertEquals(1L, prices.part("SKU").version());
  }

  @Test
  public void deactivatingHidesTheEntryFromNewLinesButNotFromGet() {
    labor("STD", "100");
    part("SKU", "1");
    task("PM", "1");
    LaborRate r = prices.updateLaborRate("STD", 1, patch("active", false), ADMIN);
    Part p = prices.updatePart("SKU", 1, patch("active", false), ADMIN);
    FlatRateTask t = prices.updateFlatRateTask("PM", 1, patch("active", false), ADMIN);
    assertEquals(2L, r.version());
    assertFalse(r.active());
    assertFalse(p.active());
    assertFalse(t.active());

    assertTrue(prices.activeLaborRate("STD").isEmpty());
    assertTrue(prices.activePart("SKU").isEmpty());
    assertTrue(prices.activeFlatRateTask("PM").isEmpty());
    assertEquals(r, prices.laborRate("STD"));
    assertEquals(p, prices.part("SKU"));
    assertEquals(t, prices.flatRateTask("PM"));
    // still listed
    assertEquals(1, prices.laborRates(PageRequest.first(10)).items().size());
    assertFalse(prices.parts(PageRequest.first(10)).items().get(0).active());

    // and back
    LaborRate back = prices.updateLaborRate("STD", 2, patch("active", true), ADMIN);
    assertEquals(3L, back.version());
    assertEquals(back, prices.activeLaborRate("STD").orElseThrow());
  }

  @Test
  public void concurrentUpdatesWithTheSameVersionLetOneWin() throws Exception {
    labor("STD", "100");
    int writers = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(writers);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<String>> results = new ArrayList<>();
    try {
      for (int i = 0; i < writers; i++) {
        int price = 200 + i;
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    prices.updateLaborRate("STD", 1, patch("hourlyRate", price), ADMIN);
                    return "ok";
                  } catch (VersionMismatchException e) {
                    assertEquals(2L, e.currentVersion());
                    return "stale";
                  }
                }));
      }
      go.countDown();
      List<String> outcomes = new ArrayList<>();
      for (var f : results) {
        outcomes.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertEquals(outcomes.toString(), 1, outcomes.stream().filter("ok"::equals).count());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2L, prices.laborRate("STD").version());
  }
}
