package org.fieldops.client.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.fieldops.client.Change;
import org.fieldops.client.FieldClient;
import org.fieldops.client.PacketJob;
import org.fieldops.client.PriceBook;

/**
 * A technician working through the packet's jobs in route order, as the app would record it: status
 * moves, an arrival note, the open required checklist items, labor, a part from the price book, a
 * photo, the customer's signature, completion.
 *
 * <p>Idempotent: each step is skipped when this phone already recorded it (queued, or in the
 * packet's lines), so running it again after a kill finishes the day without doing anything twice.
 */
final class DayOfWork {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> DONE =
      Set.of("COMPLETED", "INVOICED", "CLOSED", "CANCELLED", "ON_HOLD");

  private final FieldClient client;
  private final SimulatorOptions options;
  private final PrintStream out;
  private int recorded;

  DayOfWork(FieldClient client, SimulatorOptions options, PrintStream out) {
    this.client = client;
    this.options = options;
    this.out = out;
  }

  /** Works the jobs; returns how many changes were recorded. */
  int run() throws IOException, InterruptedException {
    int worked = 0;
    for (PacketJob job : client.jobs()) {
      if (worked >= options.maxJobs()) {
        break;
      }
      String status = client.localStatus(job.id());
      if (DONE.contains(status)) {
        out.printf("skip     job %d \"%s\": %s%n", job.routeOrder(), job.title(), status);
        continue;
      }
      worked++;
      out.printf(
          "job      %d \"%s\" at %s, %s, slot %s (status %s)%n",
          job.routeOrder(),
          job.title(),
          job.site() == null ? "?" : job.site().address(),
          job.customer().name(),
          job.slotStart(),
          status);
      work(job, status);
    }
    return recorded;
  }

  private void work(PacketJob job, String status) throws IOException, InterruptedException {
    Recorded done = recorded(job);
    if ("DISPATCHED".equals(status)) {
      show(job, client.recordStatus(job.id(), "EN_ROUTE"), "EN_ROUTE");
      status = "EN_ROUTE";
    }
    if ("EN_ROUTE".equals(status) || "PAUSED".equals(status)) {
      show(job, client.recordStatus(job.id(), "ON_SITE"), "ON_SITE");
    }
    if (!done.noteStarts("Arrived")) {
      String access = job.site() == null ? null : job.site().accessNotes();
      String text = "Arrived on site" + (access == null ? "" : "; access: " + access);
      show(job, client.recordNote(job.id(), text), text);
    }
    for (PacketJob.Checklist c : job.checklists()) {
      for (String itemId : c.missing()) {
        if (done.answered.contains(c.templateId() + "/" + itemId)) {
          continue;
        }
        Optional<PacketJob.ChecklistItem> item = c.item(itemId);
        if (item.isEmpty()) {
          continue;
        }
        answer(job, c, item.get());
      }
    }
    PriceBook prices = client.packet().orElseThrow().priceBook();
    if (!done.types.contains("labor") && !done.lineKinds.contains("LABOR")) {
      Optional<PriceBook.Entry> rate =
          prices
              .laborRate("STD")
              .or(() -> prices.laborRates().stream().filter(PriceBook.Entry::active).findFirst());
      if (rate.isPresent()) {
        Instant start =
            job.slotStart() != null ? job.slotStart() : Instant.now().minusSeconds(3600);
        int minutes = job.estimatedMinutes() != null ? job.estimatedMinutes() : 60;
        Instant end = start.plus(Duration.ofMinutes(Math.max(15, Math.min(minutes, 480))));
        show(
            job,
            client.recordLabor(job.id(), start, end, rate.get().code()),
            rate.get().code() + " " + start + " - " + end);
      }
    }
    if (!done.types.contains("part") && !done.lineKinds.contains("PART")) {
      List<PriceBook.Entry> parts =
          prices.parts().stream().filter(PriceBook.Entry::active).toList();
      if (!parts.isEmpty()) {
        PriceBook.Entry part = parts.get(Math.floorMod(job.id().hashCode(), parts.size()));
        show(
            job,
            client.recordPart(job.id(), part.code(), BigDecimal.ONE),
            "1 x " + part.code() + " " + part.name());
      }
    }
    if (!done.types.contains("photo") && !done.noteStarts("photo ")) {
      byte[] photo = Png.photo(job.id(), 48, 32);
      show(
          job,
          client.recordPhoto(job.id(), photo, "After: " + job.title()),
          "PNG " + photo.length + " bytes");
    }
    if (!done.types.contains("signature") && !done.noteStarts("signature ")) {
      String signer = signer(job);
      byte[] signature = Png.signature(signer, 96, 32);
      show(
          job,
          client.recordSignature(job.id(), signature, signer),
          "signed by " + signer + ", PNG " + signature.length + " bytes");
    }
    for (int n = 1; n <= options.extraNotes(); n++) {
      String text = "Load note " + n + " of " + options.extraNotes() + " on " + job.id();
      if (!done.notes.contains(text)) {
        show(job, client.recordNote(job.id(), text), text);
      }
    }
    show(job, client.recordStatus(job.id(), "COMPLETED"), "COMPLETED");
  }

  private void answer(PacketJob job, PacketJob.Checklist c, PacketJob.ChecklistItem item)
      throws IOException, InterruptedException {
    String type = item.type() == null ? "" : item.type();
    Change change;
    String shown;
    switch (type) {
      case "PHOTO" -> {
        byte[] photo = Png.photo(job.id() + "/" + item.id(), 32, 32);
        change = client.recordChecklistPhoto(job.id(), c.templateId(), item.id(), photo);
        shown = "photo, PNG " + photo.length + " bytes";
      }
      case "NUMBER" -> {
        BigDecimal v =
            item.min() != null && item.max() != null
                ? item.min().add(item.max()).divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP)
                : item.min() != null
                    ? item.min()
                    : item.max() != null ? item.max() : BigDecimal.ONE;
        change = client.recordChecklistAnswer(job.id(), c.templateId(), item.id(), v);
        shown = v.toPlainString() + (item.unit() == null ? "" : " " + item.unit());
      }
      case "CHOICE" -> {
        String v = item.choices().isEmpty() ? "ok" : item.choices().get(0);
        change = client.recordChecklistAnswer(job.id(), c.templateId(), item.id(), v);
        shown = v;
      }
      case "TEXT" -> {
        change = client.recordChecklistAnswer(job.id(), c.templateId(), item.id(), "none");
        shown = "none";
      }
      default -> {
        change = client.recordChecklistAnswer(job.id(), c.templateId(), item.id(), Boolean.TRUE);
        shown = "yes";
      }
    }
    show(job, change, c.templateId() + "/" + item.id() + " = " + shown);
  }

  private static String signer(PacketJob job) {
    String contact = job.customer().contact();
    if (contact != null && !contact.isBlank()) {
      String name = contact.split("[,+(]")[0].strip();
      if (!name.isEmpty() && name.length() <= 100) {
        return name;
      }
    }
    return job.customer().name() == null ? "Customer" : job.customer().name();
  }

  private void show(PacketJob job, Change c, String what) throws InterruptedException {
    recorded++;
    if (!options.quiet()) {
      out.printf(
          "queued   #%-5d %-10s %s  (job %d, op %s)%n",
          c.seq(), c.type(), what, job.routeOrder(), c.opId().substring(0, 8));
    }
    if (options.pauseMillis() > 0) {
      Thread.sleep(options.pauseMillis());
    }
  }

  /**
   * What this phone already did on the job: the changes its store holds (queued or answered) and
   * the field lines of the packet.
   */
  private Recorded recorded(PacketJob job) throws IOException {
    Recorded r = new Recorded();
    for (Change c : client.changes(job.id())) {
      if (c.status() == Change.Status.REJECTED || c.status() == Change.Status.REQUEUED) {
        continue; // not done: a rejected change is done again (a re-queued one has its successor)
      }
      JsonNode data = JSON.readTree(c.data());
      if ("photo".equals(c.type()) && data.path("caption").asText("").startsWith("checklist ")) {
        r.notes.add("checklist photo");
      } else {
        r.types.add(c.type());
      }
      if ("note".equals(c.type())) {
        r.notes.add(data.path("text").asText());
      }
      if ("checklist".equals(c.type())) {
        r.answered.add(data.path("templateId").asText() + "/" + data.path("itemId").asText());
      }
    }
    for (List<PacketJob.Line> lines : List.of(job.labor(), job.parts(), job.notes())) {
      for (PacketJob.Line l : lines) {
        if ("FIELD".equals(l.source()) && !l.voided()) {
          r.lineKinds.add(l.kind());
          if (l.text() != null) {
            r.notes.add(
                l.text().startsWith("photo ") && l.text().contains(": checklist ")
                    ? "checklist photo"
                    : l.text());
          }
        }
      }
    }
    // a server that lists photos and signatures in the job's media rather than as notes
    for (JsonNode m : JSON.readTree(job.json()).path("media")) {
      String kind = m.path("kind").asText();
      r.notes.add("photo".equals(kind) ? "photo " : "signature".equals(kind) ? "signature " : kind);
    }
    return r;
  }

  private static final class Recorded {
    final Set<String> types = new HashSet<>();
    final Set<String> lineKinds = new HashSet<>();
    final Set<String> answered = new HashSet<>();
    final Set<String> notes = new HashSet<>();

    boolean noteStarts(String prefix) {
      return notes.stream().anyMatch(n -> n.startsWith(prefix));
    }
  }
}
