package org.fieldops.client.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Small PNG images made from nothing (no image library: this runs where ImageIO does not). */
final class Png {
  private Png() {}

  /** A "photo": a gradient coloured by the seed, with a band whose position the seed sets. */
  static byte[] photo(String seed, int width, int height) {
    int h = seed.hashCode();
    int r0 = (h & 0xff);
    int g0 = (h >> 8) & 0xff;
    int b0 = (h >> 16) & 0xff;
    int band = Math.floorMod(h >> 24, height);
    byte[] rgb = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        boolean inBand = Math.abs(y - band) < 2;
        rgb[i] = (byte) (inBand ? 255 : (r0 + x * 4) & 0xff);
        rgb[i + 1] = (byte) (inBand ? 255 : (g0 + y * 4) & 0xff);
        rgb[i + 2] = (byte) (inBand ? 255 : (b0 + x + y) & 0xff);
      }
    }
    return encode(width, height, rgb);
  }

  /** A "signature": a dark scribble on white, shaped by the signer's name. */
  static byte[] signature(String signer, int width, int height) {
    byte[] rgb = new byte[width * height * 3];
    java.util.Arrays.fill(rgb, (byte) 255);
    int h = signer.hashCode();
    for (int x = 2; x < width - 2; x++) {
      double phase = (h & 0xff) / 40.0;
      int y =
          (int)
              (height / 2.0
                  + Math.sin(x / 3.0 + phase) * height / 4.0
                  + Math.sin(x / 7.0 + signer.length()) * height / 8.0);
      for (int dy = -1; dy <= 1; dy++) {
        int yy = Math.max(0, Math.min(height - 1, y + dy));
        int i = (yy * width + x) * 3;
        rgb[i] = 20;
        rgb[i + 1] = 30;
        rgb[i + 2] = 90;
      }
    }
    return encode(width, height, rgb);
  }

  /** An 8-bit RGB PNG of these pixels. */
  static byte[] encode(int width, int height, byte[] rgb) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (int y = 0; y < height; y++) {
      raw.write(0); // filter: none
      raw.write(rgb, y * width * 3, width * 3);
    }
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    deflater.setInput(raw.toByteArray());
    deflater.finish();
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!deflater.finished()) {
      z.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(png, "IHDR", ihdr.array());
    chunk(png, "IDAT", z.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
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
