package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.persistence.EntityManager;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.PageRequest;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.master.Customer;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.store.CustomerEntity;
import org.fieldops.store.Database;
import org.fieldops.store.Ids;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class CustomerServiceImplTest {
  static final Caller DISPATCHER = new Caller("dora", Set.of(Role.DISPATCHER));
  static final Instant T0 = Instant.parse("2026-11-25T08:30:00Z");

  @Rule public final TestDatabase db = new TestDatabase();

  private final MutableClock clock = new MutableClock(T0);
  private CustomerServiceImpl customers;

  @Before
  public void setUp() {
    customers = new CustomerServiceImpl(db, clock);
  }

  private static CustomerDraft acme() {
    return new CustomerDraft(
        "Acme Corp",
        "1 Main St\nSpringfield",
        "Jane Doe, 555-0100",
        new BigDecimal("0.0825"),
        "USD");
  }

  private static Map<String, Object> patch(Object... keyValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  // --- create ---

  @Test
  public void createReturnsTheStoredRecordAtVersionOne() {
    Customer c = customers.create(acme(), DISPATCHER);

    assertTrue(c.id(), Ids.isWellFormed(c.id()));
    assertEquals(1L, c.version());
    assertEquals("Acme Corp", c.name());
    assertEquals("1 Main St\nSpringfield", c.billingAddress());
    assertEquals("Jane Doe, 555-0100", c.contact());
    assertEquals(new BigDecimal("0.0825"), c.taxRate());
    assertEquals("USD", c.currency());
    assertEquals(T0, c.createdAt());
    assertEquals(T0, c.updatedAt());
    assertEquals(c, customers.get(c.id()));
    String by = db.read(em -> em.find(CustomerEntity.class, c.id()).getCreatedBy());
    assertEquals("dora", by);
  }

  @Test
  public void onlyNameAndCurrencyAreRequired() {
    Customer c = customers.create(new CustomerDraft("Bare", null, null, null, "EUR"), DISPATCHER);
    assertNull(c.billingAddress());
    assertNull(c.contact());
    assertNull(c.taxRate());
    assertEquals("EUR", c.currency());
  }

  @Test
  public void nameIsStripped() {
    assertEquals(
        "Acme",
        customers
            .create(new CustomerDraft("  Acme \n", null, null, null, "USD"), DISPATCHER)
            .name());
  }

  @Test
  public void nameAndCurrencyAreRequired() {
    invalid(
        () -> customers.create(new CustomerDraft(null, null, null, null, null), DISPATCHER),
        "name",
        "currency");
    invalid(
        () -> customers.create(new CustomerDraft("   ", null, null, null, "USD"), DISPATCHER),
        "name");
    invalid(() -> customers.create(null, DISPATCHER), "body");
  }

  @Test
  public void currencyMustBeAnIso4217Code() {
    for (String bad : List.of("usd", "US", "USDD", "QQQ", "", "U$D")) {
      invalid(
          () -> customers.create(new CustomerDraft("Acme", null, null, null, bad), DISPATCHER),
          "currency");
    }
    for (String good : List.of("USD", "EUR", "JPY", "CHF")) {
      assertEquals(
          good,
          customers
              .create(new CustomerDraft("Acme", null, null, null, good), DISPATCHER)
              .currency());
    }
  }

  @Test
  public void taxRateMustBeBetweenZeroAndOne() {
    for (String bad : List.of("-0.01", "1.01", "2", "-1")) {
      invalid(
          () ->
              customers.create(
                  new CustomerDraft("Acme", null, null, new BigDecimal(bad), "USD"), DISPATCHER),
          "taxRate");
    }
    for (String good : List.of("0", "1", "0.5", "1.000000", "0.000001")) {
      Customer c =
          customers.create(
              new CustomerDraft("Acme", null, null, new BigDecimal(good), "USD"), DISPATCHER);
      assertEquals(0, new BigDecimal(good).compareTo(c.taxRate()));
    }
  }

  @Test
  public void taxRateHasAtMostSixDecimals() {
    invalid(
        () ->
            customers.create(
                new CustomerDraft("Acme", null, null, new BigDecimal("0.1234567"), "USD"),
                DISPATCHER),
        "taxRate");
    // trailing zeros are not extra precision
    Customer c =
        customers.create(
            new CustomerDraft("Acme", null, null, new BigDecimal("0.12345600"), "USD"), DISPATCHER);
    assertEquals(new BigDecimal("0.123456"), c.taxRate());
  }

  @Test
  public void aTaxRateIsReturnedWithoutTrailingZerosOrExponent() {
    assertEquals(
        "0.1",
        customers
            .create(new CustomerDraft("A", null, null, new BigDecimal("0.10"), "USD"), DISPATCHER)
            .taxRate()
            .toPlainString());
    Customer one =
        customers.create(
            new CustomerDraft("B", null, null, new BigDecimal("1.0"), "USD"), DISPATCHER);
    assertEquals("1", one.taxRate().toPlainString());
    assertEquals("1", customers.get(one.id()).taxRate().toString());
    assertEquals(
        "0",
        customers
            .create(new CustomerDraft("C", null, null, new BigDecimal("0.000"), "USD"), DISPATCHER)
            .taxRate()
            .toString());
  }

  @Test
  public void namesAreAtMost200AndOtherTextAtMost10000Characters() {
    String name200 = "n".repeat(200);
    assertEquals(
        name200,
        customers.create(new CustomerDraft(name200, null, null, null, "USD"), DISPATCHER).name());
    invalid(
        () ->
            customers.create(
                new CustomerDraft("n".repeat(201), null, null, null, "USD"), DISPATCHER),
        "name");

    String text = "t".repeat(10_000);
    Customer c = customers.create(new CustomerDraft("Acme", text, text, null, "USD"), DISPATCHER);
    assertEquals(text, customers.get(c.id()).billingAddress());
    invalid(
        () ->
            customers.create(
                new CustomerDraft("Acme", text + "x", text + "x", null, "USD"), DISPATCHER),
        "billingAddress",
        "contact");
  }

  @Test
  public void everyBadFieldIsNamedAtOnce() {
    invalid(
        () ->
            customers.create(
                new CustomerDraft(" ", "a".repeat(10_001), null, new BigDecimal("1.5"), "dollars"),
                DISPATCHER),
        "name",
        "billingAddress",
        "taxRate",
        "currency");
  }

  @Test
  public void aRefusedCreateStoresNothing() {
    assertThrows(
        RuntimeException.class,
        () -> customers.create(new CustomerDraft(null, null, null, null, "USD"), DISPATCHER));
    assertTrue(customers.list(PageRequest.first(10)).items().isEmpty());
  }

  // --- get ---

  @Test
  public void getOfAnUnknownIdIsNotFound() {
    assertThrows(NotFoundException.class, () -> customers.get(Ids.next()));
    assertThrows(NotFoundException.class, () -> customers.get("not-an-id"));
    assertThrows(NotFoundException.class, () -> customers.get(null));
  }

  // --- update ---

  @Test
  public void updateAtTheRightVersionChangesOnlyThePatchedField() {
    Customer before = customers.create(acme(), DISPATCHER);
    clock.advance(Duration.ofMinutes(5));

    Customer after =
        customers.update(
            before.id(), 1, patch("contact", "John Roe"), new Caller("otto", Set.of(Role.ADMIN)));

    assertEquals(2L, after.version());
    assertEquals("John Roe", after.contact());
    assertEquals(before.name(), after.name());
    assertEquals(before.billingAddress(), after.billingAddress());
    assertEquals(before.taxRate(), after.taxRate());
    assertEquals(before.currency(), after.currency());
    assertEquals(before.createdAt(), after.createdAt());
    assertEquals(T0.plus(Duration.ofMinutes(5)), after.updatedAt());
    assertEquals(after, customers.get(before.id()));
    CustomerEntity stored = db.read(em -> em.find(CustomerEntity.class, before.id()));
    assertEquals("otto", stored.getUpdatedBy());
    assertEquals("dora", stored.getCreatedBy());

    Customer third = customers.update(before.id(), 2, patch("name", "Acme Holding"), DISPATCHER);
    assertEquals(3L, third.version());
    assertEquals("Acme Holding", third.name());
    assertEquals("John Roe", third.contact());
  }

  @Test
  public void anEmptyPatchChangesNoField() {
    Customer c = customers.create(acme(), DISPATCHER);
    Customer same = customers.update(c.id(), 1, Map.of(), DISPATCHER);
    assertEquals(c.name(), same.name());
    assertEquals(c.contact(), same.contact());
    assertEquals(c.taxRate(), same.taxRate());
  }

  @Test
  public void aNullInThePatchClearsAnOptionalField() {
    Customer c = customers.create(acme(), DISPATCHER);
    Customer cleared =
        customers.update(c.id(), 1, patch("contact", null, "taxRate", null), DISPATCHER);
    assertNull(cleared.contact());
    assertNull(cleared.taxRate());
    assertEquals(c.billingAddress(), cleared.billingAddress());
    assertNull(customers.get(c.id()).contact());
  }

  @Test
  public void aNullCannotClearARequiredField() {
    Customer c = customers.create(acme(), DISPATCHER);
    invalid(() -> customers.update(c.id(), 1, patch("name", null), DISPATCHER), "name");
    invalid(() -> customers.update(c.id(), 1, patch("currency", null), DISPATCHER), "currency");
  }

  @Test
  public void aPatchIsValidatedLikeACreate() {
    Customer c = customers.create(acme(), DISPATCHER);
    invalid(
        () ->
            customers.update(
                c.id(),
                1,
                patch("taxRate", new BigDecimal("1.2"), "currency", "usd", "name", "x".repeat(201)),
                DISPATCHER),
        "taxRate",
        "currency",
        "name");
  }

  @Test
  public void taxRateMayBeSentAsADecimalString() {
    Customer c = customers.create(acme(), DISPATCHER);
    assertEquals(
        new BigDecimal("0.07"),
        customers.update(c.id(), 1, patch("taxRate", "0.07"), DISPATCHER).taxRate());
    invalid(
        () -> customers.update(c.id(), 2, patch("taxRate", "seven percent"), DISPATCHER),
        "taxRate");
  }

  @Test
  public void aStaleVersionIsAMismatchCarryingTheCurrentVersion() {
    Customer c = customers.create(acme(), DISPATCHER);
    customers.update(c.id(), 1, patch("contact", "first"), DISPATCHER);
    customers.update(c.id(), 2, patch("contact", "second"), DISPATCHER);

    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () -> customers.update(c.id(), 1, patch("contact", "late"), DISPATCHER));
    assertEquals(3L, e.currentVersion());
    VersionMismatchException ahead =
        assertThrows(
            VersionMismatchException.class,
            () -> customers.update(c.id(), 7, patch("contact", "future"), DISPATCHER));
    assertEquals(3L, ahead.currentVersion());
    assertEquals("second", customers.get(c.id()).contact());
  }

  @Test
  public void theVersionIsCheckedBeforeTheContent() {
    Customer c = customers.create(acme(), DISPATCHER);
    customers.update(c.id(), 1, patch("contact", "first"), DISPATCHER);
    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () -> customers.update(c.id(), 1, patch("id", "x", "name", null), DISPATCHER));
    assertEquals(2L, e.currentVersion());
  }

  @Test
  public void unknownFieldsAreRefusedByName() {
    Customer c = customers.create(acme(), DISPATCHER);
    invalid(() -> customers.update(c.id(), 1, patch("nickname", "A"), DISPATCHER), "nickname");
    invalid(
        () ->
            customers.update(
                c.id(), 1, patch("nickname", "A", "vip", true, "contact", "ok"), DISPATCHER),
        "nickname",
        "vip");
  }

  @Test
  public void readOnlyFieldsAreRefusedByName() {
    Customer c = customers.create(acme(), DISPATCHER);
    invalid(() -> customers.update(c.id(), 1, patch("id", Ids.next()), DISPATCHER), "id");
    invalid(() -> customers.update(c.id(), 1, patch("version", 5), DISPATCHER), "version");
    invalid(
        () -> customers.update(c.id(), 1, patch("createdAt", "2020-01-01T00:00:00Z"), DISPATCHER),
        "createdAt");
    invalid(
        () -> customers.update(c.id(), 1, patch("updatedAt", "2020-01-01T00:00:00Z"), DISPATCHER),
        "updatedAt");
    invalid(
        () -> customers.update(c.id(), 1, patch("id", "x", "version", 9, "name", "ok"), DISPATCHER),
        "id",
        "version");
  }

  @Test
  public void aWrongTypeIsRefusedNamingTheField() {
    Customer c = customers.create(acme(), DISPATCHER);
    invalid(() -> customers.update(c.id(), 1, patch("name", 5), DISPATCHER), "name");
    invalid(() -> customers.update(c.id(), 1, patch("contact", true), DISPATCHER), "contact");
    invalid(() -> customers.update(c.id(), 1, patch("name", List.of("a")), DISPATCHER), "name");
    invalid(
        () ->
            customers.update(c.id(), 1, patch("billingAddress", Map.of("street", "x")), DISPATCHER),
        "billingAddress");
    invalid(() -> customers.update(c.id(), 1, patch("currency", 840), DISPATCHER), "currency");
  }

  @Test
  public void aNullPatchIsRefused() {
    Customer c = customers.create(acme(), DISPATCHER);
    invalid(() -> customers.update(c.id(), 1, null, DISPATCHER), "body");
  }

  @Test
  public void updateOfAnUnknownIdIsNotFound() {
    assertThrows(
        NotFoundException.class,
        () -> customers.update(Ids.next(), 1, patch("name", "X"), DISPATCHER));
  }

  @Test
  public void nothingChangesInTheStoreAfterAFailedUpdate() {
    Customer c = customers.create(acme(), DISPATCHER);
    clock.advance(Duration.ofHours(1));
    List<Runnable> failing =
        List.of(
            () ->
                customers.update(
                    c.id(), 1, patch("name", "New", "taxRate", new BigDecimal("3")), DISPATCHER),
            () -> customers.update(c.id(), 1, patch("contact", "New", "id", "x"), DISPATCHER),
            () -> customers.update(c.id(), 1, patch("contact", "New", "name", 5), DISPATCHER),
            () -> customers.update(c.id(), 2, patch("contact", "New"), DISPATCHER));
    for (Runnable r : failing) {
      assertThrows(RuntimeException.class, r::run);
      assertEquals(c, customers.get(c.id()));
    }
    CustomerEntity stored = db.read(em -> em.find(CustomerEntity.class, c.id()));
    assertEquals(1L, stored.getVersion());
    assertEquals("dora", stored.getUpdatedBy());
  }

  @Test
  public void aLostRaceIsReportedAsAVersionMismatch() {
    Customer c = customers.create(acme(), DISPATCHER);
    RacingDatabase racing = new RacingDatabase(db);
    CustomerServiceImpl slow = new CustomerServiceImpl(racing, clock);
    // between our read and our write, someone else updates the customer
    racing.betweenReadAndWrite.set(
        () -> customers.update(c.id(), 1, patch("contact", "theirs"), DISPATCHER));

    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () -> slow.update(c.id(), 1, patch("contact", "mine"), DISPATCHER));
    assertEquals(2L, e.currentVersion());
    Customer now = customers.get(c.id());
    assertEquals("theirs", now.contact());
    assertEquals(2L, now.version());
  }

  @Test
  public void listIsInCreationOrder() {
    Customer a = customers.create(new CustomerDraft("Zeta", null, null, null, "USD"), DISPATCHER);
    Customer b = customers.create(new CustomerDraft("Alpha", null, null, null, "USD"), DISPATCHER);
    Customer c = customers.create(new CustomerDraft("Mid", null, null, null, "USD"), DISPATCHER);
    assertEquals(List.of(a, b, c), customers.list(PageRequest.first(50)).items());
    assertNull(customers.list(PageRequest.first(50)).nextCursor());
    assertNotEquals(a.id(), b.id());
  }

  /**
   * The real store, with a hook that runs another transaction right after a transaction's first
   * {@code find}: the race of two office users editing the same record.
   */
  static final class RacingDatabase implements Database {
    final AtomicReference<Runnable> betweenReadAndWrite = new AtomicReference<>();
    private final Database real;

    RacingDatabase(Database real) {
      this.real = real;
    }

    @Override
    public <T> T inTransaction(Function<EntityManager, T> work) {
      return real.inTransaction(em -> work.apply(racing(em)));
    }

    private EntityManager racing(EntityManager em) {
      return (EntityManager)
          Proxy.newProxyInstance(
              EntityManager.class.getClassLoader(),
              new Class<?>[] {EntityManager.class},
              (proxy, method, args) -> {
                Object result;
                try {
                  result = method.invoke(em, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
                if (method.getName().equals("find")) {
                  Runnable race = betweenReadAndWrite.getAndSet(null);
                  if (race != null) {
                    // another user: another thread (on this one it would join our transaction)
                    java.util.concurrent.ExecutorService other =
                        java.util.concurrent.Executors.newSingleThreadExecutor();
                    try {
                      other.submit(race).get();
                    } finally {
                      other.shutdownNow();
                    }
                  }
                }
                return result;
              });
    }

    @Override
    public <T> T read(Function<EntityManager, T> work) {
      return real.read(work);
    }

    @Override
    public boolean isReachable(int timeoutSeconds) {
      return real.isReachable(timeoutSeconds);
    }

    @Override
    public boolean inTransactionNow() {
      return real.inTransactionNow();
    }

    @Override
    public String dialect() {
      return real.dialect();
    }
  }
}
