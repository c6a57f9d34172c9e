package org.fieldops.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fieldops.client.Packet;
import org.fieldops.client.PacketJob;
import org.fieldops.client.PriceBook;
import org.fieldops.client.SyncError;
import org.fieldops.client.SyncException;

/**
 * The packet on the device: the server's JSON of the last full packet with every delta applied
 * since, kept in {@code packet.json} (replaced atomically: temporary file, fsync, rename), and its
 * typed view. Reads serve an immutable snapshot; writes are serialised by the sync lock of the
 * client.
 */
final class PacketCache {
  private static final System.Logger LOG = System.getLogger("org.fieldops.client");

  /** What a refresh changed. */
  record Applied(Packet packet, boolean full, int jobsChanged, int jobsRemoved) {}

  private final Path file;
  private volatile ObjectNode
      state; // {cursor, generatedAt, timezone, from, to, refreshedAt, days, jobs, priceBook}
  private volatile Packet view;

  PacketCache(Path file) throws IOException {
    this.file = file;
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
    try {
      state = (ObjectNode) Json.parse(Files.readAllBytes(file));
      view = view(state);
    } catch (NoSuchFileException none) {
      state = null;
      view = null;
    }
  }

  Optional<Packet> packet() {
    return Optional.ofNullable(view);
  }

  /**
   * The cursor to ask a delta with, or empty when a full packet is needed (none, new day, other
   * window).
   */
  Optional<String> deltaCursor(int days, Instant now) {
    ObjectNode s = state;
    if (s == null || Json.integer(s, "days") == null || Json.integer(s, "days") != days) {
      return Optional.empty();
    }
    LocalDate today;
    try {
      today = now.atZone(ZoneId.of(s.path("timezone").asText("UTC"))).toLocalDate();
    } catch (java.time.DateTimeException unknownZone) {
      return Optional.empty();
    }
    if (!today.toString().equals(Json.str(s, "from"))) {
      return Optional.empty(); // new day, new packet: a delta never moves the window
    }
    return Optional.of(s.get("cursor").asText());
  }

  /**
   * Brings the cache up to date from the server: a delta since the cached cursor, or a full packet
   * when {@code full}, when there is no usable cursor ({@link #deltaCursor}), or when the server
   * does not know it. Called under the client's sync lock.
   */
  Applied refresh(ServerApi api, int days, boolean full, Instant now) throws SyncException {
    Optional<String> cursor = full ? Optional.empty() : deltaCursor(days, now);
    try {
      if (cursor.isPresent()) {
        JsonNode delta = api.delta(cursor.get());
        if (delta != null) {
          return delta(delta, now);
        }
        LOG.log(Level.INFO, "the server does not know the cached cursor: full packet");
      }
      return full(api.packet(days), days, now);
    } catch (IOException e) {
      throw new SyncException(
          new SyncError(
              SyncError.Kind.STORAGE, 0, "could not store the packet: " + e, false, null, now),
          e);
    } catch (RuntimeException e) {
      throw new SyncException(
          new SyncError(
              SyncError.Kind.PROTOCOL,
              200,
              "a packet the client cannot read: " + e,
              false,
              null,
              now),
          e);
    }
  }

  /** Replaces the cache by a full packet. */
  Applied full(JsonNode packet, int days, Instant now) throws IOException {
    ObjectNode s = Json.object();
    header(s, packet, now);
    s.put("days", days);
    ArrayNode jobs = s.putArray("jobs");
    Json.array(packet, "jobs").forEach(jobs::add);
    sort(jobs);
    JsonNode pb = packet.get("priceBook");
    s.set("priceBook", pb == null || pb.isNull() ? Json.object() : pb);
    save(s);
    return new Applied(view, true, jobs.size(), 0);
  }

  /**
   * Applies a delta: removes {@code removed}, replaces or adds {@code jobs}, replaces the price
   * book.
   */
  Applied delta(JsonNode delta, Instant now) throws IOException {
    ObjectNode old = state;
    if (old == null) {
      throw new IllegalStateException("a delta without a packet");
    }
    ObjectNode s = old.deepCopy();
    header(s, delta, now);
    s.put("from", old.get("from").asText()); // a delta never moves the window
    s.put("to", old.get("to").asText());
    Map<String, JsonNode> jobs = new LinkedHashMap<>();
    Json.array(old, "jobs").forEach(j -> jobs.put(j.get("id").asText(), j));
    Set<String> removed = new HashSet<>(Json.strings(delta, "removed"));
    int removedCount = 0;
    for (String id : removed) {
      if (jobs.remove(id) != null) {
        removedCount++;
      }
    }
    List<JsonNode> changed = Json.array(delta, "jobs");
    changed.forEach(j -> jobs.put(j.get("id").asText(), j));
    ArrayNode list = s.putArray("jobs");
    jobs.values().forEach(list::add);
    sort(list);
    JsonNode pb = delta.get("priceBook");
    if (pb != null && !pb.isNull()) {
      s.set("priceBook", pb);
    }
    save(s);
    return new Applied(view, false, changed.size(), removedCount);
  }

  private static void header(ObjectNode s, JsonNode packet, Instant now) {
    s.put("cursor", packet.get("cursor").asText());
    s.set("generatedAt", packet.get("generatedAt"));
    s.set("timezone", packet.get("timezone"));
    s.set("from", packet.get("from"));
    s.set("to", packet.get("to"));
    s.put("refreshedAt", now.toString());
  }

  private static void sort(ArrayNode jobs) {
    List<JsonNode> list = new ArrayList<>();
    jobs.forEach(list::add);
    list.sort(
        Comparator.comparing((JsonNode j) -> j.path("slotStart").asText(""), PacketCache::byInstant)
            .thenComparing(j -> j.path("id").asText()));
    jobs.removeAll();
    list.forEach(jobs::add);
  }

  private static int byInstant(String a, String b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() ? (b.isEmpty() ? 0 : 1) : -1;
    }
    return Instant.parse(a).compareTo(Instant.parse(b));
  }

  private void save(ObjectNode s) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel c =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(Json.bytes(s));
      while (b.hasRemaining()) {
        c.write(b);
      }
      c.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Journal.syncDirectory(file.toAbsolutePath().getParent());
    Packet v = view(s);
    state = s;
    view = v;
  }

  static Packet view(ObjectNode s) {
    List<PacketJob> jobs = new ArrayList<>();
    Json.array(s, "jobs").forEach(j -> jobs.add(job(j)));
    return new Packet(
        s.get("cursor").asText(),
        Json.instant(s, "generatedAt"),
        Json.str(s, "timezone"),
        s.hasNonNull("from") ? LocalDate.parse(s.get("from").asText()) : null,
        s.hasNonNull("to") ? LocalDate.parse(s.get("to").asText()) : null,
        Json.instant(s, "refreshedAt"),
        jobs,
        priceBook(s.path("priceBook")));
  }

  static PacketJob job(JsonNode j) {
    JsonNode c = j.path("customer");
    JsonNode site = j.path("site");
    List<PacketJob.Equipment> equipment = new ArrayList<>();
    for (JsonNode e : Json.array(j, "equipment")) {
      equipment.add(
          new PacketJob.Equipment(
              Json.str(e, "id"),
              Json.str(e, "type"),
              Json.str(e, "make"),
              Json.str(e, "model"),
              Json.str(e, "serialNumber"),
              Json.str(e, "installedOn"),
              e.path("version").asLong()));
    }
    List<PacketJob.Checklist> checklists = new ArrayList<>();
    for (JsonNode cl : Json.array(j, "checklists")) {
      JsonNode t = cl.path("template");
      List<PacketJob.ChecklistItem> items = new ArrayList<>();
      for (JsonNode i : Json.array(t, "items")) {
        items.add(
            new PacketJob.ChecklistItem(
                Json.str(i, "id"),
                Json.str(i, "label"),
                Json.str(i, "type"),
                Json.bool(i, "required"),
                Json.decimal(i, "min"),
                Json.decimal(i, "max"),
                Json.str(i, "unit"),
                Json.strings(i, "choices")));
      }
      List<String> answered = new ArrayList<>();
      for (JsonNode a : Json.array(cl, "answers")) {
        answered.add(Json.str(a, "itemId"));
      }
      checklists.add(
          new PacketJob.Checklist(
              Json.str(t, "id"),
              t.path("version").asInt(1),
              Json.str(t, "title"),
              items,
              answered,
              Json.strings(cl, "missing")));
    }
    return new PacketJob(
        Json.str(j, "id"),
        j.path("routeOrder").asInt(),
        Json.str(j, "title"),
        Json.str(j, "description"),
        Json.str(j, "type"),
        Json.str(j, "priority"),
        Json.str(j, "status"),
        j.path("version").asLong(),
        Json.instant(j, "slotStart"),
        Json.instant(j, "slotEnd"),
        Json.instant(j, "windowStart"),
        Json.instant(j, "windowEnd"),
        Json.integer(j, "estimatedMinutes"),
        Json.strings(j, "technicianIds"),
        new PacketJob.Customer(Json.str(c, "id"), Json.str(c, "name"), Json.str(c, "contact")),
        site.isMissingNode() || site.isNull()
            ? null
            : new PacketJob.Site(
                Json.str(site, "id"),
                Json.str(site, "address"),
                Json.dbl(site, "latitude"),
                Json.dbl(site, "longitude"),
                Json.str(site, "accessNotes"),
                Json.str(site, "navigationUrl"),
                site.path("version").asLong()),
        equipment,
        checklists,
        lines(j, "labor"),
        lines(j, "parts"),
        lines(j, "flatRateTasks"),
        lines(j, "notes"),
        Json.text(j));
  }

  private static List<PacketJob.Line> lines(JsonNode j, String field) {
    List<PacketJob.Line> out = new ArrayList<>();
    for (JsonNode l : Json.array(j, field)) {
      out.add(
          new PacketJob.Line(
              Json.str(l, "id"),
              Json.str(l, "kind"),
              Json.str(l, "code"),
              Json.str(l, "description"),
              Json.decimal(l, "quantity"),
              Json.instant(l, "startedAt"),
              Json.instant(l, "endedAt"),
              Json.decimal(l, "amount"),
              Json.str(l, "currency"),
              Json.str(l, "text"),
              Json.str(l, "source"),
              Json.bool(l, "voided")));
    }
    return out;
  }

  private static PriceBook priceBook(JsonNode pb) {
    return new PriceBook(
        entries(pb, "laborRates", "code", "hourlyRate"),
        entries(pb, "parts", "sku", "unitPrice"),
        entries(pb, "flatRateTasks", "code", "price"));
  }

  private static List<PriceBook.Entry> entries(
      JsonNode pb, String list, String code, String price) {
    List<PriceBook.Entry> out = new ArrayList<>();
    for (JsonNode e : Json.array(pb, list)) {
      out.add(
          new PriceBook.Entry(
              Json.str(e, code),
              Json.str(e, "name"),
              Json.decimal(e, price),
              Json.str(e, "currency"),
              !e.has("active") || Json.bool(e, "active")));
    }
    return out;
  }
}
