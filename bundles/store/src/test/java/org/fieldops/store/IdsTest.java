package org.fieldops.store;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.Test;

public class IdsTest {

  @Test
  public void idsAreWellFormedVersion7Uuids() {
    for (int i = 0; i < 1000; i++) {
      String id = Ids.next();
      assertTrue(id, Ids.isWellFormed(id));
      UUID u = UUID.fromString(id);
      assertEquals(7, u.version());
      assertEquals(2, u.variant());
    }
  }

  @Test
  public void theTimestampIsTheCreationTime() {
    long before = System.currentTimeMillis();
    UUID u = UUID.fromString(Ids.next());
    long after = System.currentTimeMillis();
    long millis = u.getMostSignificantBits() >>> 16;
    // the counter may carry into the time under a burst of more than 4096 ids a millisecond
    assertTrue(millis >= before && millis <= after + 100);
  }

  /**
   * Paging orders by id and takes the last id as the cursor: ids made one after another must sort
   * in that order.
   */
  @Test
  public void idsMadeOneAfterAnotherSortInCreationOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      ids.add(Ids.next());
    }
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(
          "id " + i + " " + ids.get(i) + " does not sort after " + ids.get(i - 1),
          ids.get(i).compareTo(ids.get(i - 1)) > 0);
    }
  }

  @Test
  public void idsStillSortWhenTheCounterRunsOverInOneMillisecond() {
    // 20,000 ids is far more than the 4,096 values of the counter in one millisecond
    String previous = Ids.next();
    for (int i = 0; i < 20_000; i++) {
      String id = Ids.next();
      assertTrue(id.compareTo(previous) > 0);
      assertEquals(7, UUID.fromString(id).version());
      previous = id;
    }
  }

  @Test
  public void idsAreUniqueAcrossThreads() throws InterruptedException {
    ConcurrentLinkedQueue<String> all = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 20_000; i++) {
                  all.add(Ids.next());
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    Set<String> unique = new HashSet<>(all);
    assertEquals(80_000, unique.size());
    for (String id : unique) {
      assertTrue(id, Ids.isWellFormed(id));
    }
  }

  @Test
  public void isWellFormedRejectsOtherShapes() {
    assertFalse(Ids.isWellFormed(null));
    assertFalse(Ids.isWellFormed(""));
    assertFalse(Ids.isWellFormed("alice"));
    assertFalse(Ids.isWellFormed("0193A8B2-7C1D-7E4F-9A2B-3C4D5E6F7A8B"));
    assertFalse(Ids.isWellFormed("0193a8b2-7c1d-7e4f-9a2b-3c4d5e6f7a8"));
    assertFalse(Ids.isWellFormed("0193a8b2x7c1d-7e4f-9a2b-3c4d5e6f7a8b"));
    assertFalse(Ids.isWellFormed("0193a8b2-7c1d-7e4f-9a2b-3c4d5e6f7a8b "));
    assertTrue(Ids.isWellFormed("0193a8b2-7c1d-7e4f-9a2b-3c4d5e6f7a8b"));
  }
}
