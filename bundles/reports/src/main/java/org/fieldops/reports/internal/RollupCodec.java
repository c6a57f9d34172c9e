package org.fieldops.reports.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The stored form of a roll-up: a table's rows (key, then each column's name and value) written
 * with {@link DataOutputStream} and compressed. Values are numbers (sums), instants (earliest),
 * text and flags, as the figures produce them.
 */
final class RollupCodec {
  /** The column names once, then each cell by the number of its column. */
  private static final int FORMAT = 1;

  private static final byte NULL = 0;
  private static final byte NUMBER = 1;
  private static final byte INSTANT = 2;
  private static final byte TEXT = 3;
  private static final byte FLAG = 4;

  private RollupCodec() {}

  static byte[] encode(Map<String, Map<String, Object>> rows) {
    List<String> names = new ArrayList<>();
    Map<String, Integer> numbers = new HashMap<>();
    for (Map<String, Object> row : rows.values()) {
      for (String column : row.keySet()) {
        numbers.computeIfAbsent(
            column,
            c -> {
              names.add(c);
              return names.size() - 1;
            });
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
      out.writeByte(FORMAT);
      out.writeInt(names.size());
      for (String name : names) {
        out.writeUTF(name);
      }
      out.writeInt(rows.size());
      for (Map.Entry<String, Map<String, Object>> row : rows.entrySet()) {
        out.writeUTF(row.getKey());
        out.writeInt(row.getValue().size());
        for (Map.Entry<String, Object> cell : row.getValue().entrySet()) {
          out.writeInt(numbers.get(cell.getKey()));
          write(out, cell.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void write(DataOutputStream out, Object v) throws IOException {
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

  private static Object read(DataInputStream in) throws IOException {
    byte type = in.readByte();
    return switch (type) {
      case NULL -> null;
      case NUMBER -> new BigDecimal(in.readUTF());
      case INSTANT -> Instant.ofEpochSecond(in.readLong(), in.readInt());
      case FLAG -> in.readBoolean();
      case TEXT -> in.readUTF();
      default -> throw new IllegalStateException("unknown value type " + type);
    };
  }

  /** The stored rows as a table of their own. */
  static Map<String, Map<String, Object>> decode(byte[] data) {
    Table t = new Table();
    mergeInto(data, t);
    return t.rows;
  }

  /**
   * Adds the stored rows to {@code t} as {@link Table#merge} would, without building them first (a
   * year of a big grouping is a hundred thousand rows).
   */
  static void mergeInto(byte[] data, Table t) {
    try (DataInputStream in =
        new DataInputStream(
            new java.io.BufferedInputStream(
                new GZIPInputStream(new ByteArrayInputStream(data), 8192), 65536))) {
      int format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException("unknown roll-up format " + format);
      }
      String[] names = new String[in.readInt()];
      for (int i = 0; i < names.length; i++) {
        names[i] = in.readUTF();
      }
      int rows = in.readInt();
      for (int r = 0; r < rows; r++) {
        Map<String, Object> row = t.row(in.readUTF());
        int cells = in.readInt();
        for (int c = 0; c < cells; c++) {
          String column = names[in.readInt()];
          Table.combineInto(row, column, read(in));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
