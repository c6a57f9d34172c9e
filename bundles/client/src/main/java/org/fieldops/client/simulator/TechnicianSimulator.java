package org.fieldops.client.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fieldops.client.Change;
import org.fieldops.client.ClientListener;
import org.fieldops.client.FieldClient;
import org.fieldops.client.HttpClientTransport;
import org.fieldops.client.Packet;
import org.fieldops.client.PacketJob;
import org.fieldops.client.SyncError;
import org.fieldops.client.SyncException;
import org.fieldops.client.SyncResult;
import org.fieldops.client.SyncState;

/**
 * The technician simulator: a phone with the client SDK, driven from the command line (see {@link
 * SimulatorOptions#USAGE}). Prints one line per change queued, batch sent, answer received.
 *
 * <p>Exit codes: 0 done, 1 a sync or download failed (the error is printed; the queue keeps the
 * work), 2 wrong arguments.
 */
public final class TechnicianSimulator {
  private final SimulatorOptions options;
  private final PrintStream out;

  private TechnicianSimulator(SimulatorOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    SimulatorOptions options;
    try {
      options = SimulatorOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println(e.getMessage());
      }
      System.err.print(SimulatorOptions.USAGE);
      System.exit(2);
      return;
    }
    int code;
    try {
      code = new TechnicianSimulator(options, System.out).run();
    } catch (IOException e) {
      System.out.println("error    the phone's store: " + e);
      code = 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = 1;
    }
    System.exit(code);
  }

  private int run() throws IOException, InterruptedException {
    SwitchableTransport network =
        new SwitchableTransport(
            new HttpClientTransport(options.server(), options.user(), options.password()),
            !options.offline());
    try (FieldClient client =
        FieldClient.builder()
            .transport(network)
            .deviceId(options.device())
            .storage(options.data())
            .packetDays(options.days())
            .batchSize(options.batch())
            .build()) {
      client.addListener(new Printer());
      out.printf(
          "phone    device %s, user %s, store %s, network %s%n",
          options.device(),
          options.user(),
          options.data().toAbsolutePath(),
          network.on() ? "on" : "off");
      return switch (options.command()) {
        case "packet" -> packet(client) ? 0 : 1;
        case "work" -> work(client, network);
        case "sync" -> sync(client) ? 0 : 1;
        case "status" -> {
          status(client);
          yield 0;
        }
        default -> day(client, network);
      };
    }
  }

  /** Online: packet; offline: the day's work; online again: sync. */
  private int day(FieldClient client, SwitchableTransport network)
      throws IOException, InterruptedException {
    if (network.on() && !packet(client) && client.packet().isEmpty()) {
      out.println(
          "error    no packet on this phone and none could be downloaded: nothing to work on");
      return 1;
    }
    if (client.packet().isEmpty()) {
      out.println(
          "error    no packet on this phone yet: run `packet` (or `day`) with the network on");
      return 1;
    }
    network.on(false);
    out.println("network  OFF: working offline");
    int recorded = new DayOfWork(client, options, out).run();
    out.printf(
        "worked   %d changes recorded offline, %d queued%n",
        recorded, client.state().pending().size());
    try {
      client.syncNow();
    } catch (SyncException expected) {
      out.println("offline  as expected, nothing can be sent now; the queue keeps it all");
    }
    if (options.offline()) {
      return 0;
    }
    network.on(true);
    out.println("network  ON: syncing");
    boolean ok = sync(client);
    jobs(client);
    return ok ? 0 : 1;
  }

  private int work(FieldClient client, SwitchableTransport network)
      throws IOException, InterruptedException {
    if (network.on()) {
      packet(client);
    }
    if (client.packet().isEmpty()) {
      out.println(
          "error    no packet on this phone yet: run `packet` (or `day`) with the network on");
      return 1;
    }
    int recorded = new DayOfWork(client, options, out).run();
    out.printf(
        "worked   %d changes recorded, %d queued%n", recorded, client.state().pending().size());
    if (!network.on()) {
      return 0;
    }
    return sync(client) ? 0 : 1;
  }

  private boolean packet(FieldClient client) {
    try {
      boolean had = client.packet().isPresent();
      Packet p = client.refreshPacket();
      out.printf(
          "packet   %s %s..%s (%s), %d jobs, cursor %s%n",
          had ? "refreshed" : "downloaded",
          p.from(),
          p.to(),
          p.timezone(),
          p.jobs().size(),
          p.cursor());
      jobs(client);
      return true;
    } catch (SyncException e) {
      if (client.packet().isPresent()) {
        out.println(
            "packet   using the cached packet (" + client.packet().get().jobs().size() + " jobs)");
      }
      return false;
    }
  }

  private void jobs(FieldClient client) {
    for (PacketJob j : client.jobs()) {
      out.printf(
          "  %2d  %-10s %s  %s (%s)%n",
          j.routeOrder(),
          client.localStatus(j.id()),
          j.slotStart(),
          j.title(),
          j.customer().name());
    }
  }

  private boolean sync(FieldClient client) throws InterruptedException {
    SyncState before = client.state();
    out.printf(
        "sync     %d changes queued, %d photos/signatures to upload%n",
        before.pending().size(), before.mediaToUpload());
    try {
      SyncResult r = client.syncUntilDone(options.maxWait());
      Map<String, Long> by = new TreeMap<>();
      r.answered().forEach(c -> by.merge(c.status().name(), 1L, Long::sum));
      out.printf(
          "synced   %d events sent in %d batches, %d media uploaded; answers %s, %d duplicates,"
              + " %d requeued; packet %s (+%d -%d); %d ms%n",
          r.eventsSent(),
          r.batches(),
          r.mediaUploaded(),
          by,
          r.duplicates(),
          r.requeued(),
          r.packet(),
          r.jobsChanged(),
          r.jobsRemoved(),
          r.took().toMillis());
      status(client);
      return true;
    } catch (SyncException e) {
      out.println("failed   " + e.getMessage() + " (the queue keeps everything; run sync again)");
      return false;
    }
  }

  private void status(FieldClient client) {
    SyncState s = client.state();
    out.printf(
        "status   pending %d, in review %d, rejected %d, media to upload %d; last sync %s;"
            + " totals %s%n",
        s.pending().size(),
        s.inReview().size(),
        s.rejected().size(),
        s.mediaToUpload(),
        s.lastSyncAt() == null ? "never" : s.lastSyncAt(),
        new TreeMap<>(s.totals()));
    for (Change c : s.inReview()) {
      out.printf(
          "  review   #%d %s on job %s: %s (review %s, %s)%n",
          c.seq(), c.type(), c.jobId(), c.message(), c.reviewId(), c.reviewStatus());
    }
    for (Change c : s.rejected()) {
      out.printf(
          "  rejected #%d %s on job %s: %s%s - %s%n",
          c.seq(),
          c.type(),
          c.jobId(),
          c.reason(),
          c.retryable() ? " (retryable)" : "",
          c.message());
    }
    if (s.lastError() != null) {
      out.println("  last error: " + s.lastError().kind() + ": " + s.lastError().message());
    }
  }

  /** Prints what goes over the wire and what comes back. */
  private final class Printer implements ClientListener {
    @Override
    public void batchSending(List<Change> batch) {
      out.printf(
          "sending  batch of %d events (seq %d..%d)%n",
          batch.size(), batch.get(0).seq(), batch.get(batch.size() - 1).seq());
    }

    @Override
    public void batchAnswered(List<Change> answered) {
      Map<String, Long> by = new TreeMap<>();
      for (Change c : answered) {
        by.merge(c.status().name(), 1L, Long::sum);
        if (!options.quiet()) {
          out.printf("answer   #%-5d %-10s %s%n", c.seq(), c.type(), outcome(c));
        }
      }
      out.printf("answered batch of %d: %s%n", answered.size(), by);
    }

    @Override
    public void mediaUploaded(String sha256, long bytes) {
      out.printf("media    uploaded %s (%d bytes)%n", sha256, bytes);
    }

    @Override
    public void syncFailed(SyncError error) {
      out.printf(
          "error    %s%s: %s%n",
          error.kind(), error.retryable() ? " (will retry)" : "", error.message());
    }

    private String outcome(Change c) {
      return switch (c.status()) {
        case APPLIED -> "APPLIED, job version " + c.jobVersion();
        case MERGED -> "MERGED, value " + c.value();
        case IN_REVIEW -> "IN REVIEW (" + c.message() + ")";
        case REJECTED ->
            "REJECTED " + c.reason() + (c.retryable() ? " (retryable)" : "") + ": " + c.message();
        default -> c.status().name();
      };
    }
  }
}
