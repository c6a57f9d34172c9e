package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.CustomerServiceImplTest.DISPATCHER;
import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.master.Customer;
import org.fieldops.api.master.CustomerDraft;
import org.fieldops.store.support.Paging;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class PagingTest {
  @Rule public final TestDatabase db = new TestDatabase();

  private CustomerServiceImpl customers;

  @Before
  public void setUp() {
    customers =
        new CustomerServiceImpl(db, new MutableClock(Instant.parse("2026-11-25T08:30:00Z")));
  }

  private List<Customer> create(int n) {
    List<Customer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // names against creation order, so a list sorted by name would show
      out.add(
          customers.create(
              new CustomerDraft("Customer " + (char) ('Z' - i), null, null, null, "USD"),
              DISPATCHER));
    }
    return out;
  }

  @Test
  public void pagesOfThreeOverSevenItems() {
    List<Customer> all = create(7);

    Page<Customer> p1 = customers.list(PageRequest.first(3));
    assertEquals(all.subList(0, 3), p1.items());
    assertNotNull(p1.nextCursor());

    Page<Customer> p2 = customers.list(new PageRequest(3, p1.nextCursor()));
    assertEquals(all.subList(3, 6), p2.items());
    assertNotNull(p2.nextCursor());

    Page<Customer> p3 = customers.list(new PageRequest(3, p2.nextCursor()));
    assertEquals(all.subList(6, 7), p3.items());
    assertNull(p3.nextCursor());
  }

  @Test
  public void aFullLastPageHasNoNextCursor() {
    List<Customer> all = create(6);
    Page<Customer> p1 = customers.list(PageRequest.first(3));
    Page<Customer> p2 = customers.list(new PageRequest(3, p1.nextCursor()));
    assertEquals(all.subList(3, 6), p2.items());
    assertNull("no empty page after a full last one", p2.nextCursor());
    assertNull(customers.list(PageRequest.first(6)).nextCursor());
    assertNotNull(customers.list(PageRequest.first(5)).nextCursor());
  }

  @Test
  public void walkingAllPagesSeesEveryItemOnceInCreationOrder() {
    List<Customer> all = create(23);
    for (int limit : new int[] {1, 2, 4, 5, 22, 23, 24, 500}) {
      List<Customer> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        Page<Customer> page = customers.list(new PageRequest(limit, cursor));
        assertTrue(page.items().size() <= limit);
        seen.addAll(page.items());
        cursor = page.nextCursor();
        pages++;
      } while (cursor != null);
      assertEquals("limit " + limit, all, seen);
      assertEquals("limit " + limit, (23 + limit - 1) / limit, pages);
    }
  }

  @Test
  public void itemsCreatedWhilePagingAppearLaterAndNothingIsRepeated() {
    List<Customer> all = new ArrayList<>(create(4));
    Page<Customer> p1 = customers.list(PageRequest.first(3));
    all.addAll(create(2));
    Page<Customer> p2 = customers.list(new PageRequest(3, p1.nextCursor()));
    assertEquals(all.subList(3, 6), p2.items());
    assertNull(p2.nextCursor());
  }

  @Test
  public void anEmptyListIsOneEmptyPage() {
    Page<Customer> page = customers.list(PageRequest.first(10));
    assertTrue(page.items().isEmpty());
    assertNull(page.nextCursor());
  }

  @Test
  public void aGarbageCursorIsRefusedByName() {
    create(2);
    for (String garbage :
        List.of(
            "not a cursor!",
            "%%%",
            "@@@@",
            b64("robert'); DROP TABLE FO_CUSTOMER;--"),
            b64("Hello World"),
            b64("../../etc/passwd"))) {
      invalid(() -> customers.list(new PageRequest(10, garbage)), "cursor");
    }
    invalid(() -> new PageRequest(10, ""), "cursor");
    invalid(() -> new PageRequest(10, "c".repeat(201)), "cursor");
  }

  @Test
  public void limitIsBetweenOneAnd500() {
    invalid(() -> new PageRequest(0, null), "limit");
    invalid(() -> new PageRequest(501, null), "limit");
    invalid(() -> new PageRequest(-1, null), "limit");
    invalid(() -> PageRequest.of(0, null), "limit");
    assertEquals(1, new PageRequest(1, null).limit());
    assertEquals(500, new PageRequest(500, null).limit());
    assertEquals(50, PageRequest.of(null, null).limit());
  }

  @Test
  public void theCursorRoundTripsAnId() {
    Customer c = create(1).get(0);
    assertEquals(c.id(), Paging.decode(Paging.encode(c.id())));
    assertNull(Paging.decode(null));
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
