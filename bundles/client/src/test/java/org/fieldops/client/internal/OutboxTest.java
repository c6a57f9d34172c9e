package org.fieldops.client.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fieldops.client.Change;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class OutboxTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static Outbox.Draft note(String job, int i) {
    return new Outbox.Draft(
        job, "note", Json.object().put("text", "note " + i), NOW, 3L, List.of(), null, 0);
  }

  private static List<QueuedEvent> add(Outbox box, int from, int to) throws IOException {
    List<QueuedEvent> added = new ArrayList<>();
    for (int i = from; i < to; i++) {
      added.addAll(box.add(List.of(note("job-1", i)), NOW));
    }
    return added;
  }

  private static ArrayNode results(List<QueuedEvent> batch, String outcome) {
    ArrayNode results = Json.MAPPER.createArrayNode();
    long v = 10;
    for (QueuedEvent e : batch) {
      results
          .addObject()
          .put("opId", e.opId)
          .put("outcome", outcome)
          .put("retryable", false)
          .put("jobVersion", v++);
    }
    return results;
  }

  @Test
  public void queuedEventsSurviveReopenWithTheirSeqAndOpId() throws IOException {
    Path file = tmp.newFolder().toPath().resolve("journal");
    List<String> opIds = new ArrayList<>();
    try (Outbox box = Outbox.open(file, "dev-1")) {
      add(box, 0, 30).forEach(e -> opIds.add(e.opId));
      box.answer(box.nextBatch(10), results(box.nextBatch(10), "APPLIED"), NOW);
    }
    try (Outbox box = Outbox.open(file, "dev-1")) {
      List<QueuedEvent> pending = box.nextBatch(500);
      assertEquals(20, pending.size());
      for (int i = 0; i < 20; i++) {
        assertEquals(opIds.get(10 + i), pending.get(i).opId);
        assertEquals(11 + i, pending.get(i).seq);
        assertEquals("note " + (10 + i), pending.get(i).data().get("text").asText());
      }
      assertEquals(10L, (long) box.totals().get("APPLIED"));
      QueuedEvent next = box.add(List.of(note("job-1", 99)), NOW).get(0);
      assertEquals(31, next.seq);
      assertEquals(30, new HashSet<>(opIds).size());
      assertTrue(!opIds.contains(next.opId));
    }
  }

  @Test
  public void aStoreOfAnotherDeviceIsRefused() throws IOException {
    Path file = tmp.newFolder().toPath().resolve("journal");
    Outbox.open(file, "dev-1").close();
    try {
      Outbox.open(file, "dev-2");
      fail("opened another device's store");
    } catch (IllegalStateException expected) {
      assertTrue(expected.getMessage().contains("dev-1"));
    }
  }

  @Test
  public void answersThatDoNotFitTheBatchStoreNothing() throws IOException {
    Path file = tmp.newFolder().toPath().resolve("journal");
    try (Outbox box = Outbox.open(file, "dev-1")) {
      add(box, 0, 3);
      List<QueuedEvent> batch = box.nextBatch(3);
      ArrayNode wrongOrder = results(List.of(batch.get(1), batch.get(0), batch.get(2)), "APPLIED");
      try {
        box.answer(batch, wrongOrder, NOW);
        fail("accepted answers in the wrong order");
      } catch (IllegalArgumentException expected) {
        assertEquals(3, box.nextBatch(500).size());
      }
      try {
        box.answer(batch, results(batch.subList(0, 2), "APPLIED"), NOW);
        fail("accepted too few answers");
      } catch (IllegalArgumentException expected) {
        assertEquals(3, box.nextBatch(500).size());
      }
    }
  }

  @Test
  public void aDuplicateCountsAsItsFirstOutcome() throws IOException {
    Path file = tmp.newFolder().toPath().resolve("journal");
    try (Outbox box = Outbox.open(file, "dev-1")) {
      add(box, 0, 2);
      List<QueuedEvent> batch = box.nextBatch(2);
      ArrayNode results = results(batch, "DUPLICATE");
      ((com.fasterxml.jackson.databind.node.ObjectNode) results.get(0))
          .put("firstOutcome", "APPLIED");
      ((com.fasterxml.jackson.databind.node.ObjectNode) results.get(1))
          .put("firstOutcome", "REJECTED")
          .put("reason", "MEDIA_MISSING")
          .put("retryable", true);
      box.answer(batch, results, NOW);
      assertEquals(Change.Status.APPLIED, box.get(batch.get(0).opId).status);
      QueuedEvent rejected = box.get(batch.get(1).opId);
      assertEquals(Change.Status.REJECTED, rejected.status);
      assertEquals("MEDIA_MISSING", rejected.reason);
      assertEquals(List.of(rejected), box.retryableRejections());
      assertTrue(!box.hasPending());
    }
  }

  /** Compaction forgets answered events but keeps the queue, the rejections, seq and totals. */
  @Test
  public void compactionKeepsWhatIsNeeded() throws IOException {
    Path file = tmp.newFolder().toPath().resolve("journal");
    Set<String> pendingOps = new HashSet<>();
    String rejectedOp;
    try (Outbox box = Outbox.open(file, "dev-1")) {
      for (int round = 0; round < 6; round++) {
        add(box, round * 500, round * 500 + 500);
        List<QueuedEvent> batch = box.nextBatch(500);
        box.answer(batch, results(batch, "APPLIED"), NOW);
      }
      List<QueuedEvent> last = add(box, 3000, 3003);
      ArrayNode r = results(last.subList(0, 1), "REJECTED");
      ((com.fasterxml.jackson.databind.node.ObjectNode) r.get(0)).put("reason", "UNKNOWN_CODE");
      box.answer(last.subList(0, 1), r, NOW);
      rejectedOp = last.get(0).opId;
      pendingOps.add(last.get(1).opId);
      pendingOps.add(last.get(2).opId);
      box.synced(NOW);
      assertTrue(box.worthCompacting());
      long before = box.journalBytes();
      box.compact();
      assertTrue(box.journalBytes() < before / 20);
      assertEquals(3000L, (long) box.totals().get("APPLIED"));
    }
    try (Outbox box = Outbox.open(file, "dev-1")) {
      Set<String> pending = new HashSet<>();
      box.nextBatch(500).forEach(e -> pending.add(e.opId));
      assertEquals(pendingOps, pending);
      Outbox.Snapshot s = box.snapshot();
      assertEquals(1, s.rejected().size());
      assertEquals(rejectedOp, s.rejected().get(0).opId());
      assertEquals(3000L, (long) s.totals().get("APPLIED"));
      assertEquals(1L, (long) s.totals().get("REJECTED"));
      assertEquals(NOW, s.lastSyncAt());
      assertEquals(3004, box.add(List.of(note("job-1", 1)), NOW).get(0).seq);
    }
  }

  @Test
  public void aRequeuedChangeGetsANewOpIdAndTheOldOneSaysSo() throws IOException {
    Path file = tmp.newFolder().toPath().resolve("journal");
    try (Outbox box = Outbox.open(file, "dev-1")) {
      QueuedEvent e = add(box, 0, 1).get(0);
      ArrayNode r = results(List.of(e), "REJECTED");
      ((com.fasterxml.jackson.databind.node.ObjectNode) r.get(0))
          .put("reason", "CHECKLIST_INCOMPLETE")
          .put("retryable", true);
      box.answer(List.of(e), r, NOW);
      QueuedEvent again =
          box.add(
                  List.of(
                      new Outbox.Draft(
                          e.jobId, e.type, e.data().deepCopy(), NOW, 4L, e.media, e.opId, 1)),
                  NOW)
              .get(0);
      assertNotEquals(e.opId, again.opId);
      assertEquals(2, again.seq);
      assertEquals(Change.Status.REQUEUED, e.status);
      assertEquals(again.opId, e.replacedBy);
      assertTrue(box.retryableRejections().isEmpty());
    }
    try (Outbox box = Outbox.open(file, "dev-1")) {
      Outbox.Snapshot s = box.snapshot();
      assertEquals(1, s.pending().size());
      assertEquals(0, s.rejected().size());
      assertTrue(s.pending().get(0).replaces() != null);
    }
    assertTrue(Files.size(file) > 0);
  }
}
