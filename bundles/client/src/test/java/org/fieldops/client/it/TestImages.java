package org.fieldops.client.it;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Tiny real PNG images (the server sniffs the type), different for each seed. */
final class TestImages {
  private TestImages() {}

  static byte[] png(String seed) {
    int w = 8;
    int h = 8;
    byte[] raw = new byte[h * (1 + w * 3)];
    int s = seed.hashCode();
    for (int y = 0; y < h; y++) {
      raw[y * (1 + w * 3)] = 0;
      for (int x = 0; x < w * 3; x++) {
        raw[y * (1 + w * 3) + 1 + x] = (byte) (s >> (x % 24) ^ y * 31 + x);
      }
    }
    Deflater d = new Deflater();
    d.setInput(raw);
    d.finish();
    byte[] buf = new byte[4096];
    int len = d.deflate(buf);
    d.end();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h);
    ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    byte[] idat = new byte[len];
    System.arraycopy(buf, 0, idat, 0, len);
    chunk(out, "IDAT", idat);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
