package org.fieldops.sync.internal;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import org.fieldops.api.ValidationException;
import org.fieldops.api.sync.PacketService;

/**
 * A packet's cursor: the change log position it was read at, its window, and the price book it
 * carried. Opaque to devices (base64url of {@code p1:cursor:from:days:priceBook}).
 */
record PacketCursor(long changeCursor, LocalDate from, int days, String priceBook) {

  String encode() {
    String raw = "p1:" + changeCursor + ":" + from + ":" + days + ":" + priceBook;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static PacketCursor decode(String cursor) {
    try {
      if (cursor == null || cursor.isEmpty() || cursor.length() > 200) {
        throw new IllegalArgumentException();
      }
      String[] p =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 5);
      if (p.length != 5 || !"p1".equals(p[0])) {
        throw new IllegalArgumentException();
      }
      long at = Long.parseLong(p[1]);
      int days = Integer.parseInt(p[3]);
      if (at < 0 || days < 1 || days > PacketService.MAX_DAYS || p[4].isEmpty()) {
        throw new IllegalArgumentException();
      }
      return new PacketCursor(at, LocalDate.parse(p[2]), days, p[4]);
    } catch (RuntimeException bad) {
      throw ValidationException.of(
          "since", "is not a packet cursor from this server; download a full packet");
    }
  }
}
