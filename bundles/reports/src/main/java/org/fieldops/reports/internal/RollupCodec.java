package org.fieldops.reports.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The stored form of a roll-up: a table's rows (key, then each column's name and value) written
 * with {@link DataOutputStream} and compressed. Values are numbers (sums), instants (earliest),
 * text and flags, as the figures produce them.
 */
final class RollupCodec {
  private static final int FORMAT = 1;
  private static final byte NULL = 0;
  private static final byte NUMBER = 1;
  private static final byte INSTANT = 2;
  private static final byte TEXT = 3;
  private static final byte FLAG = 4;

  private RollupCodec() {}

  static byte[] encode(Map<String, Map<String, Object>> rows) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
      out.writeByte(FORMAT);
      out.writeInt(rows.size());
      for (Map.Entry<String, Map<String, Object>> row : rows.entrySet()) {
        out.writeUTF(row.getKey());
        out.writeInt(row.getValue().size());
        for (Map.Entry<String, Object> cell : row.getValue().entrySet()) {
          out.writeUTF(cell.getKey());
          Object v = cell.getValue();
          if (v == null) {
            out.writeByte(NULL);
          } else if (v instanceof BigDecimal d) {
            out.writeByte(NUMBER);
            out.writeUTF(d.toString());
          } else if (v instanceof Instant i) {
            out.writeByte(INSTANT);
            out.writeLong(i.getEpochSecond());
            out.writeInt(i.getNano());
          } else if (v instanceof Boolean b) {
            out.writeByte(FLAG);
            out.writeBoolean(b);
          } else {
            out.writeByte(TEXT);
            out.writeUTF(v.toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Map<String, Map<String, Object>> decode(byte[] data) {
    try (DataInputStream in =
        new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(data)))) {
      int format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException("unknown roll-up format " + format);
      }
      int rows = in.readInt();
      Map<String, Map<String, Object>> out = new LinkedHashMap<>();
      for (int r = 0; r < rows; r++) {
        String key = in.readUTF();
        int cells = in.readInt();
        Map<String, Object> row = new HashMap<>();
        for (int c = 0; c < cells; c++) {
          String column = in.readUTF();
          byte type = in.readByte();
          row.put(
              column,
              switch (type) {
                case NULL -> null;
                case NUMBER -> new BigDecimal(in.readUTF());
                case INSTANT -> Instant.ofEpochSecond(in.readLong(), in.readInt());
                case FLAG -> in.readBoolean();
                case TEXT -> in.readUTF();
                default -> throw new IllegalStateException("unknown value type " + type);
              });
        }
        out.put(key, row);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
