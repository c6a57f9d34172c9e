package org.fieldops.rest.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.Test;

public class CappedInputStreamTest {

  /** An endless body that counts what was taken from it. */
  static final class Endless extends InputStream {
    long served;

    @Override
    public int read() {
      served++;
      return 'x';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++) {
        b[off + i] = 'x';
      }
      served += len;
      return len;
    }
  }

  @Test
  public void aBodyUpToTheCapReadsWhole() throws IOException {
    byte[] body = new byte[1000];
    body[999] = 7;
    CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(body), 1000);
    assertArrayEquals(body, in.readAllBytes());
    assertEquals(1000, in.count());
    assertFalse(in.exceeded());
    assertEquals(-1, in.read());
  }

  @Test
  public void aChunkedBodyPastTheCapIsRefusedWithoutReadingOn() throws IOException {
    Endless endless = new Endless();
    CappedInputStream in = new CappedInputStream(endless, 4096);
    try {
      in.readAllBytes();
      fail("an endless body was read");
    } catch (CappedInputStream.TooLargeException e) {
      assertEquals(4096, e.maxBytes);
    }
    assertTrue(in.exceeded());
    assertEquals("at most one byte past the cap is taken from the body", 4097, endless.served);
    // and it stays refused
    try {
      in.read(new byte[10], 0, 10);
      fail("read after the cap");
    } catch (CappedInputStream.TooLargeException expected) {
      // refused again
    }
    assertEquals(4097, endless.served);
  }

  @Test
  public void singleByteReadsAreCountedToo() throws IOException {
    CappedInputStream in = new CappedInputStream(new Endless(), 3);
    assertEquals('x', in.read());
    assertEquals('x', in.read());
    assertEquals('x', in.read());
    try {
      in.read();
      fail("the fourth byte passed a cap of 3");
    } catch (CappedInputStream.TooLargeException expected) {
      assertEquals(4, in.count());
    }
  }

  @Test
  public void skippingCounts() throws IOException {
    CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[100]), 10);
    try {
      while (in.skip(100) > 0) {
        // skip on
      }
      fail("skipped past the cap");
    } catch (CappedInputStream.TooLargeException expected) {
      assertTrue(in.exceeded());
    }
  }

  @Test
  public void aZeroCapRefusesAnyByteButAcceptsAnEmptyBody() throws IOException {
    assertEquals(0, new CappedInputStream(InputStream.nullInputStream(), 0).readAllBytes().length);
    try {
      new CappedInputStream(new ByteArrayInputStream(new byte[] {1}), 0).readAllBytes();
      fail("one byte passed a cap of 0");
    } catch (CappedInputStream.TooLargeException expected) {
      // refused
    }
  }

  @Test
  public void markAndResetCannotUndoTheCount() {
    CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[10]), 10);
    assertFalse(in.markSupported());
    try {
      in.reset();
      fail("reset");
    } catch (IOException expected) {
      // not supported
    }
  }
}
