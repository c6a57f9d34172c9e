package org.fieldops.client.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class JournalTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static byte[] rec(int i) {
    return ("{\"record\":" + i + ",\"pad\":\"" + "x".repeat(i % 37) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<byte[]> records) {
    List<String> out = new ArrayList<>();
    records.forEach(r -> out.add(new String(r, StandardCharsets.UTF_8)));
    return out;
  }

  private static List<String> expected(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(new String(rec(i), StandardCharsets.UTF_8));
    }
    return out;
  }

  private Path journalWith(int n) throws IOException {
    Path file = tmp.newFolder().toPath().resolve("journal");
    try (Journal j = Journal.open(file).journal()) {
      for (int i = 0; i < n; i++) {
        j.append(List.of(rec(i)));
      }
    }
    return file;
  }

  @Test
  public void recordsSurviveReopenInOrder() throws IOException {
    Path file = tmp.newFolder().toPath().resolve("journal");
    try (Journal j = Journal.open(file).journal()) {
      j.append(List.of(rec(0)));
      j.append(List.of(rec(1), rec(2), rec(3)));
      j.append(List.of());
      j.append(List.of(rec(4)));
    }
    Journal.Opened o = Journal.open(file);
    try (Journal j = o.journal()) {
      assertEquals(expected(0, 5), texts(o.records()));
      assertTrue(o.recovery().clean());
      j.append(List.of(rec(5)));
    }
    Journal.Opened again = Journal.open(file);
    again.journal().close();
    assertEquals(expected(0, 6), texts(again.records()));
  }

  /** A crash in the middle of the last append, at every byte: the earlier records stay whole. */
  @Test
  public void aTornLastRecordIsDroppedAtEveryCutPoint() throws IOException {
    Path file = journalWith(6);
    long full = Files.size(file);
    long lastFrame = full - (8 + rec(5).length);
    for (long cut = lastFrame; cut < full; cut++) {
      Path copy = tmp.newFolder().toPath().resolve("journal");
      Files.copy(file, copy);
      try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
        f.setLength(cut);
      }
      Journal.Opened o = Journal.open(copy);
      try (Journal j = o.journal()) {
        assertEquals("cut at " + cut, expected(0, 5), texts(o.records()));
        assertEquals(cut - lastFrame, o.recovery().tornBytes());
        assertEquals(0, o.recovery().discardedBytes());
        assertNull(o.recovery().copy());
        assertEquals(lastFrame, Files.size(copy));
        j.append(List.of(rec(99)));
      }
      Journal.Opened after = Journal.open(copy);
      after.journal().close();
      List<String> want = expected(0, 5);
      want.add(new String(rec(99), StandardCharsets.UTF_8));
      assertEquals(want, texts(after.records()));
      assertTrue(after.recovery().clean());
    }
  }

  @Test
  public void aZeroFilledTailIsATornWrite() throws IOException {
    Path file = journalWith(3);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() + 4096); // the file grew, its blocks never written
    }
    Journal.Opened o = Journal.open(file);
    o.journal().close();
    assertEquals(expected(0, 3), texts(o.records()));
    assertEquals(4096, o.recovery().tornBytes());
    assertNull(o.recovery().copy());
  }

  @Test
  public void aDamagedLastRecordFailsItsCrcAndIsDropped() throws IOException {
    Path file = journalWith(4);
    flip(file, Files.size(file) - 3);
    Journal.Opened o = Journal.open(file);
    o.journal().close();
    assertEquals(expected(0, 3), texts(o.records()));
    assertTrue(o.recovery().tornBytes() > 0);
  }

  /** Damage in the middle: the valid prefix is kept, the rest is cut but copied aside, reported. */
  @Test
  public void damageInTheMiddleIsCutAndCopiedAside() throws IOException {
    Path file = journalWith(10);
    long offset = Journal.HEADER.length;
    for (int i = 0; i < 4; i++) {
      offset += 8 + rec(i).length;
    }
    byte[] before = Files.readAllBytes(file);
    flip(file, offset + 8 + 2); // a payload byte of record 4
    Journal.Opened o = Journal.open(file);
    o.journal().close();
    assertEquals(expected(0, 4), texts(o.records()));
    assertEquals(before.length - offset, o.recovery().discardedBytes());
    assertNotNull(o.recovery().copy());
    byte[] copied = Files.readAllBytes(o.recovery().copy());
    assertEquals(before.length - offset, copied.length);
    assertFalse(o.recovery().clean());
  }

  @Test
  public void rewriteReplacesTheFileAndAnInterruptedOneIsIgnored() throws IOException {
    Path file = journalWith(20);
    try (Journal j = Journal.open(file).journal()) {
      j.rewrite(List.of(rec(7), rec(8)));
      assertEquals(2, j.records());
      j.append(List.of(rec(9)));
    }
    // a later compaction killed before its rename: only the .tmp file has the new content
    Files.write(file.resolveSibling("journal.tmp"), new byte[] {1, 2, 3});
    Journal.Opened o = Journal.open(file);
    o.journal().close();
    assertEquals(expected(7, 10), texts(o.records()));
    assertFalse(Files.exists(file.resolveSibling("journal.tmp")));
  }

  @Test
  public void aForeignFileIsRefusedAndLeftAlone() throws IOException {
    Path file = tmp.newFolder().toPath().resolve("journal");
    byte[] foreign = "hello, this is not a journal".getBytes(StandardCharsets.UTF_8);
    Files.write(file, foreign);
    try {
      Journal.open(file);
      fail("opened a foreign file");
    } catch (IOException expected) {
      assertArrayEquals(foreign, Files.readAllBytes(file));
    }
  }

  @Test
  public void aFileKilledBeforeItsHeaderStartsEmpty() throws IOException {
    Path file = tmp.newFolder().toPath().resolve("journal");
    Files.write(file, new byte[] {'F', 'O'});
    Journal.Opened o = Journal.open(file);
    o.journal().close();
    assertEquals(0, o.records().size());
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(1, files.count());
    }
  }

  private static void flip(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5a);
    }
  }
}
