package org.fieldops.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body counted as it is read: reading past {@code maxBytes} throws {@link
 * TooLargeException}, so a chunked body (no {@code Content-Length}) is refused as soon as it passes
 * the cap, without buffering or reading the rest. Not thread-safe (one request, one reader).
 */
final class CappedInputStream extends FilterInputStream {
  private final long maxBytes;
  private long count;
  private boolean exceeded;

  CappedInputStream(InputStream in, long maxBytes) {
    super(in);
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative");
    }
    this.maxBytes = maxBytes;
  }

  /** The body passed the cap: more than {@code maxBytes} bytes. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    final long maxBytes;

    TooLargeException(long maxBytes) {
      super("the body is larger than " + maxBytes + " bytes");
      this.maxBytes = maxBytes;
    }
  }

  @Override
  public int read() throws IOException {
    check();
    int b = super.read();
    if (b >= 0) {
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    check();
    if (len == 0) {
      return 0;
    }
    // Never ask for more than one byte past the cap: the excess is detected without reading on.
    long room = maxBytes - count + 1;
    int n = super.read(b, off, (int) Math.min(len, room));
    if (n > 0) {
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    check();
    long room = maxBytes - count + 1;
    long skipped = super.skip(Math.min(n, room));
    if (skipped > 0) {
      counted(skipped);
    }
    return skipped;
  }

  @Override
  public int available() throws IOException {
    check();
    return (int) Math.min(super.available(), maxBytes - count + 1);
  }

  @Override
  public boolean markSupported() {
    return false; // a reset would undo the count
  }

  @Override
  public synchronized void mark(int readlimit) {
    // not supported
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  /** Bytes read so far (at most {@code maxBytes + 1}). */
  long count() {
    return count;
  }

  /** True once more than {@code maxBytes} bytes arrived. */
  boolean exceeded() {
    return exceeded;
  }

  long maxBytes() {
    return maxBytes;
  }

  private void counted(long n) throws TooLargeException {
    count += n;
    if (count > maxBytes) {
      exceeded = true;
      throw new TooLargeException(maxBytes);
    }
  }

  private void check() throws TooLargeException {
    if (exceeded) {
      throw new TooLargeException(maxBytes);
    }
  }
}
