package org.fieldops.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An in-memory FieldOps server for the client's unit tests: packets and deltas by a change counter,
 * exactly-once events by opId (DUPLICATE on resend), media, sync status; and faults on request.
 */
final class FakeServer implements Transport {
  static final ObjectMapper JSON = new ObjectMapper();

  /** What goes wrong with a request. */
  enum Fault {
    NONE,
    /** no answer, nothing processed */
    DROP_BEFORE,
    /** processed, then the answer is lost */
    DROP_AFTER,
    S503,
    S401
  }

  final Map<String, ObjectNode> jobs = new LinkedHashMap<>();
  final Map<String, Long> changedAt = new HashMap<>();
  final Map<String, Long> removedAt = new HashMap<>();
  final Map<String, ObjectNode> results = new HashMap<>();
  final List<JsonNode> appliedEvents = new ArrayList<>();
  final List<String> log = new ArrayList<>();
  final List<List<String>> batches = new ArrayList<>();
  final Set<String> media = new HashSet<>();
  final Map<String, String> reviewStatus = new HashMap<>();
  ObjectNode priceBook;
  long priceBookChangedAt;
  long counter = 1;
  String today = "2026-11-26";
  int maxEvents = 500;
  int loseMediaUploads;
  Function<TransportRequest, Fault> faults = r -> Fault.NONE;

  FakeServer() {
    priceBook = JSON.createObjectNode();
    priceBook
        .putArray("laborRates")
        .addObject()
        .put("code", "STD")
        .put("name", "Standard")
        .put("hourlyRate", "95.00")
        .put("currency", "USD")
        .put("active", true);
    priceBook
        .putArray("parts")
        .addObject()
        .put("sku", "FLT-2025")
        .put("name", "Filter")
        .put("unitPrice", "18.40")
        .put("currency", "USD")
        .put("active", true);
    priceBook.putArray("flatRateTasks");
  }

  synchronized ObjectNode addJob(String id, String slotStart, String status, String... missing) {
    ObjectNode j = JSON.createObjectNode();
    j.put("id", id).put("routeOrder", 0).put("title", "Job " + id).put("type", "general.service");
    j.put("priority", "NORMAL").put("status", status).put("slotStart", slotStart);
    j.put("slotEnd", slotStart.replace("T0", "T1")).put("estimatedMinutes", 60);
    j.putArray("technicianIds").add("t1");
    j.putObject("customer").put("id", "c1").put("name", "Acme").put("contact", "Jo Smith, +1 555");
    j.putObject("site")
        .put("id", "s1")
        .put("address", "1 Main St")
        .put("accessNotes", "gate 1234")
        .put("version", 1);
    j.putArray("equipment");
    ObjectNode cl = j.putArray("checklists").addObject();
    ObjectNode t =
        cl.putObject("template").put("id", "site-safety").put("version", 1).put("title", "Safety");
    ArrayNode items = t.putArray("items");
    ArrayNode miss = cl.putArray("missing");
    for (String m : missing) {
      items.addObject().put("id", m).put("label", m).put("type", "YES_NO").put("required", true);
      miss.add(m);
    }
    cl.putArray("answers");
    for (String list : List.of("labor", "parts", "flatRateTasks", "notes")) {
      j.putArray(list);
    }
    j.put("version", 1);
    jobs.put(id, j);
    touch(id);
    return j;
  }

  synchronized void unassign(String id) {
    jobs.remove(id);
    removedAt.put(id, ++counter);
  }

  synchronized void changePriceBook() {
    ((ArrayNode) priceBook.get("parts"))
        .addObject()
        .put("sku", "BELT")
        .put("name", "Belt")
        .put("unitPrice", "9.00")
        .put("currency", "USD")
        .put("active", true);
    priceBookChangedAt = ++counter;
  }

  synchronized long appliedCount(String opId) {
    return appliedEvents.stream().filter(e -> e.get("opId").asText().equals(opId)).count();
  }

  private void touch(String id) {
    changedAt.put(id, ++counter);
    ObjectNode j = jobs.get(id);
    if (j != null) {
      j.put("version", j.get("version").asLong() + 1);
    }
  }

  @Override
  public synchronized TransportResponse exchange(TransportRequest r) throws IOException {
    Fault f = faults.apply(r);
    log.add(r.method() + " " + r.path());
    switch (f) {
      case DROP_BEFORE -> throw new IOException("connection refused (fake)");
      case S503 -> {
        return new TransportResponse(
            503,
            "application/problem+json",
            1,
            "{\"title\":\"busy\"}".getBytes(StandardCharsets.UTF_8));
      }
      case S401 -> {
        return new TransportResponse(
            401,
            "application/problem+json",
            null,
            "{\"title\":\"Unauthorized\",\"detail\":\"bad password\"}"
                .getBytes(StandardCharsets.UTF_8));
      }
      default -> {}
    }
    TransportResponse answer = handle(r);
    if (f == Fault.DROP_AFTER) {
      throw new IOException("connection reset after the server answered (fake)");
    }
    return answer;
  }

  private TransportResponse handle(TransportRequest r) throws IOException {
    String path = r.path();
    if (r.method().equals("GET") && path.startsWith("/me/packet?days=")) {
      return ok(packet(0, false));
    }
    if (r.method().equals("GET") && path.startsWith("/me/packet?since=")) {
      String cursor = path.substring("/me/packet?since=".length());
      if (!cursor.startsWith("c")) {
        return new TransportResponse(
            400,
            "application/problem+json",
            null,
            "{\"title\":\"bad cursor\"}".getBytes(StandardCharsets.UTF_8));
      }
      return ok(packet(Long.parseLong(cursor.substring(1)), true));
    }
    if (r.method().equals("POST") && path.equals("/me/events")) {
      JsonNode body = JSON.readTree(r.body());
      List<JsonNode> events = new ArrayList<>();
      body.get("events").forEach(events::add);
      if (events.size() > maxEvents) {
        return new TransportResponse(
            413,
            "application/problem+json",
            null,
            "{\"title\":\"too large\"}".getBytes(StandardCharsets.UTF_8));
      }
      batches.add(events.stream().map(e -> e.get("opId").asText()).toList());
      List<JsonNode> bySeq = new ArrayList<>(events);
      bySeq.sort(Comparator.comparingLong(e -> e.get("seq").asLong()));
      for (JsonNode e : bySeq) {
        if (!results.containsKey(e.get("opId").asText())) {
          results.put(e.get("opId").asText(), apply(e));
        }
      }
      ObjectNode out = JSON.createObjectNode();
      ArrayNode list = out.putArray("results");
      for (JsonNode e : events) {
        ObjectNode first = results.get(e.get("opId").asText());
        if (first.has("_answered")) {
          ObjectNode dup = first.deepCopy();
          dup.remove("_answered");
          dup.put("firstOutcome", first.get("outcome").asText());
          dup.put("outcome", "DUPLICATE");
          list.add(dup);
        } else {
          ObjectNode copy = first.deepCopy();
          list.add(copy);
        }
      }
      for (JsonNode e : events) {
        results.get(e.get("opId").asText()).put("_answered", true);
      }
      return ok(out);
    }
    if (r.method().equals("PUT") && path.startsWith("/media/")) {
      String sha = path.substring("/media/".length());
      if (!sha.equals(sha256(r.body()))) {
        return new TransportResponse(
            400,
            "application/problem+json",
            null,
            "{\"title\":\"hash\"}".getBytes(StandardCharsets.UTF_8));
      }
      if (loseMediaUploads > 0) {
        loseMediaUploads--;
        return new TransportResponse(
            201, "application/json", null, "{}".getBytes(StandardCharsets.UTF_8));
      }
      boolean had = !media.add(sha);
      return new TransportResponse(
          had ? 200 : 201, "application/json", null, "{}".getBytes(StandardCharsets.UTF_8));
    }
    if (r.method().equals("GET") && path.startsWith("/me/sync-status")) {
      ObjectNode s = JSON.createObjectNode();
      ArrayNode inReview = s.putArray("inReview");
      reviewStatus.forEach(
          (op, st) ->
              inReview
                  .addObject()
                  .put("opId", op)
                  .put("reviewStatus", st)
                  .put("resolution", st.equals("RESOLVED") ? "SERVER" : null));
      return ok(s);
    }
    return new TransportResponse(
        404,
        "application/problem+json",
        null,
        "{\"title\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
  }

  private ObjectNode packet(long since, boolean delta) {
    ObjectNode p = JSON.createObjectNode();
    p.put("cursor", "c" + counter)
        .put("generatedAt", "2026-11-26T06:00:00Z")
        .put("timezone", "UTC");
    p.put("from", today).put("to", today).put("delta", delta);
    ArrayNode list = p.putArray("jobs");
    jobs.values().stream()
        .filter(j -> changedAt.get(j.get("id").asText()) > since)
        .forEach(j -> list.add(j.deepCopy()));
    ArrayNode removed = p.putArray("removed");
    if (delta) {
      removedAt.forEach(
          (id, at) -> {
            if (at > since) {
              removed.add(id);
            }
          });
    }
    if (!delta || priceBookChangedAt > since) {
      p.set("priceBook", priceBook.deepCopy());
    } else {
      p.putNull("priceBook");
    }
    return p;
  }

  private ObjectNode apply(JsonNode e) {
    String opId = e.get("opId").asText();
    ObjectNode job = jobs.get(e.get("jobId").asText());
    JsonNode data = e.get("data");
    if (job == null) {
      return result(opId, "REJECTED", "NOT_ASSIGNED", false, null, "not assigned");
    }
    String type = e.get("type").asText();
    switch (type) {
      case "status" -> {
        String to = data.get("to").asText();
        if (to.equals("COMPLETED") && job.get("checklists").get(0).get("missing").size() > 0) {
          List<String> open = new ArrayList<>();
          job.get("checklists")
              .get(0)
              .get("missing")
              .forEach(m -> open.add("site-safety/" + m.asText()));
          return result(
              opId,
              "REJECTED",
              "CHECKLIST_INCOMPLETE",
              true,
              null,
              "required checklist items are unanswered: " + String.join(", ", open));
        }
        job.put("status", to);
      }
      case "checklist" -> {
        ArrayNode missing = (ArrayNode) job.get("checklists").get(0).get("missing");
        for (int i = 0; i < missing.size(); i++) {
          if (missing.get(i).asText().equals(data.get("itemId").asText())) {
            missing.remove(i);
            break;
          }
        }
        ((ArrayNode) job.get("checklists").get(0).get("answers"))
            .addObject()
            .put("itemId", data.get("itemId").asText());
      }
      case "photo", "signature" -> {
        String sha = data.get("sha256").asText();
        if (!media.contains(sha)) {
          return result(opId, "REJECTED", "MEDIA_MISSING", true, null, "no such media " + sha);
        }
        ((ArrayNode) job.get("notes"))
            .addObject()
            .put("kind", "NOTE")
            .put("text", type + " " + sha)
            .put("source", "FIELD");
      }
      case "note" ->
          ((ArrayNode) job.get("notes"))
              .addObject()
              .put("kind", "NOTE")
              .put("text", data.get("text").asText())
              .put("source", "FIELD");
      case "part" -> {
        boolean known = false;
        for (JsonNode p : priceBook.get("parts")) {
          known |= p.get("sku").asText().equals(data.get("sku").asText());
        }
        if (!known) {
          return result(opId, "REJECTED", "UNKNOWN_CODE", false, null, "sku");
        }
        ((ArrayNode) job.get("parts"))
            .addObject()
            .put("kind", "PART")
            .put("code", data.get("sku").asText())
            .put("source", "FIELD");
      }
      case "labor" ->
          ((ArrayNode) job.get("labor")).addObject().put("kind", "LABOR").put("source", "FIELD");
      case "field" -> {
        ObjectNode res =
            result(
                opId, "REVIEW", null, false, job.get("version").asLong(), "held for office review");
        res.put("reviewId", "rev-" + opId.substring(0, 4));
        reviewStatus.put(opId, "OPEN");
        return res;
      }
      default -> {
        return result(opId, "REJECTED", "UNKNOWN_TYPE", false, null, "type");
      }
    }
    touch(job.get("id").asText());
    appliedEvents.add(e);
    return result(opId, "APPLIED", null, false, job.get("version").asLong(), null);
  }

  private static ObjectNode result(
      String opId, String outcome, String reason, boolean retryable, Long version, String message) {
    ObjectNode r = JSON.createObjectNode();
    r.put("opId", opId).put("outcome", outcome).put("reason", reason).put("retryable", retryable);
    if (version == null) {
      r.putNull("jobVersion");
    } else {
      r.put("jobVersion", version);
    }
    r.put("message", message)
        .putNull("firstOutcome")
        .putNull("policy")
        .putNull("value")
        .putNull("reviewId");
    return r;
  }

  private static TransportResponse ok(JsonNode body) throws IOException {
    return new TransportResponse(200, "application/json", null, JSON.writeValueAsBytes(body));
  }

  static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
