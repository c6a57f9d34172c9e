package org.fieldops.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Optional profiling of the server during a measured phase: Java Flight Recorder started and
 * stopped with {@code jcmd}, and a summary of its CPU samples: where the server's time goes, by
 * category (a sample counts in every category one of its frames matches), and the hottest frames.
 */
final class Profile {
  /** Categories, matched against "class.method" of every frame of a sample. */
  static final Map<String, Pattern> CATEGORIES = new LinkedHashMap<>();

  static {
    c("authentication (AuthFilter)", "org\\.fieldops\\.rest\\.internal\\.AuthFilter\\.filter");
    c("  of which PBKDF2 password hashing", "PBKDF2KeyImpl\\.deriveKey");
    c("JSON (Jackson, in and out)", "com\\.fasterxml\\.jackson\\..*");
    c(
        "  sync ingest (SyncService.ingest)",
        "org\\.fieldops\\.sync\\.internal\\.SyncServiceImpl\\.ingest");
    c("    device claim + last-upload update", "SyncServiceImpl\\.(claimDevice|lambda\\$ingest.*)");
    c("    per-event transaction (SyncServiceImpl.once)", "SyncServiceImpl\\.once");
    c("      opId look-up (find prior)", "SyncServiceImpl\\.find");
    c("      event row insert + flush (store)", "SyncServiceImpl\\.store");
    c("      caller's technician query (technicianOf)", "FieldEffects\\.technicianOf");
    c("      was-assigned query (wasAssigned)", "FieldEffects\\.wasAssigned");
    c("      job row lock (PESSIMISTIC_WRITE read)", "FieldEffects\\.lambda\\$apply.*");
    c(
        "      jobs service effect (addLine/answerChecklist/move)",
        "WorkOrderServiceImpl\\.(addLine|answerChecklist|moveByTechnician)");
    c("        price look-up (JobLines.price)", "JobLines\\.price");
    c("        audit + change-log rows (JobRecorder)", "JobRecorder\\.record");
    c("        checklist provider validate", "ChecklistRegistry\\..*");
    c("      job version read (versionOf)", "FieldEffects\\.versionOf");
    c("    transaction commit (EclipseLink + Derby)", "EntityTransactionImpl\\.commit");
    c(
        "Derby transaction log (writing log records, flushing at commit)",
        "org\\.apache\\.derby\\.impl\\.store\\.raw\\.log\\..*");
    c("Derby (embedded SQL engine) anywhere on the stack", "org\\.apache\\.derby\\..*");
    c("EclipseLink (JPA) anywhere on the stack", "org\\.eclipse\\.persistence\\..*");
    c("Change sequencer thread", "org\\.fieldops\\.jobs\\.internal\\.ChangeSequencer\\..*");
    c("  of which the stamping transaction (stamp)", "ChangeSequencer\\.(stamp|lambda\\$stamp.*)");
    c("  of which the lease (Leases.hold)", "org\\.fieldops\\.jobs\\.internal\\.Leases\\.hold");
    c("Board feed thread (BoardFeed)", "org\\.fieldops\\.rest\\.internal\\.BoardFeed\\..*");
    c("  of which reading the change log (ChangeLog.after/head)", "ChangeSequencer\\.(after|head)");
    c("SSE writes (CXF sink)", "org\\.apache\\.cxf\\.jaxrs\\.sse\\..*");
    c("GC / JIT / VM (no Java frame)", "^$");
  }

  private static void c(String name, String regex) {
    CATEGORIES.put(name, Pattern.compile(regex));
  }

  private Profile() {}

  private static String component(String frame) {
    if (frame.isEmpty()) {
      return "VM (GC, JIT, native)";
    }
    String[][] known = {
      {"org.apache.derby.", "Derby"},
      {"org.eclipse.persistence.", "EclipseLink"},
      {"com.fasterxml.jackson.", "Jackson"},
      {"org.eclipse.jetty.", "Jetty"},
      {"org.apache.cxf.", "CXF"},
      {"org.fieldops.", "FieldOps"},
      {"com.zaxxer.hikari.", "HikariCP"},
      {"com.sun.crypto.", "JDK crypto"},
      {"sun.security.", "JDK crypto"},
      {"java.", "JDK (java.*)"},
      {"jdk.", "JDK (jdk.*)"},
      {"sun.", "JDK (sun.*)"},
    };
    for (String[] k : known) {
      if (frame.startsWith(k[0])) {
        return k[1];
      }
    }
    return "other";
  }

  static Process start(long pid, Path file) throws IOException, InterruptedException {
    return jcmd(pid, "JFR.start", "name=fieldops-bench", "settings=profile", "filename=" + file);
  }

  static void stop(long pid) throws IOException, InterruptedException {
    jcmd(pid, "JFR.stop", "name=fieldops-bench");
  }

  private static Process jcmd(long pid, String... command)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(pid));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd failed: " + out);
    }
    return p;
  }

  /** Prints the CPU-sample summary of a recording. */
  static void summarize(Path file, int top) throws IOException {
    summarize(file, top, java.time.Instant.MIN, java.time.Instant.MAX);
  }

  /** Prints the CPU-sample summary of the samples taken between {@code from} and {@code to}. */
  static void summarize(Path file, int top, java.time.Instant from, java.time.Instant to)
      throws IOException {
    Map<String, Long> categories = new LinkedHashMap<>();
    CATEGORIES.keySet().forEach(k -> categories.put(k, 0L));
    Map<String, Long> self = new TreeMap<>();
    Map<String, Long> fieldopsInclusive = new TreeMap<>();
    Map<String, Long> components = new TreeMap<>();
    long samples = 0;
    try (RecordingFile rec = new RecordingFile(file)) {
      while (rec.hasMoreEvents()) {
        RecordedEvent e = rec.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")
            || e.getStackTrace() == null
            || e.getStartTime().isBefore(from)
            || e.getStartTime().isAfter(to)) {
          continue;
        }
        samples++;
        List<String> frames = new ArrayList<>();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
          if (f.isJavaFrame()) {
            frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
          }
        }
        if (!frames.isEmpty()) {
          self.merge(frames.get(0), 1L, Long::sum);
        }
        components.merge(component(frames.isEmpty() ? "" : frames.get(0)), 1L, Long::sum);
        for (Map.Entry<String, Pattern> c : CATEGORIES.entrySet()) {
          boolean hit =
              frames.isEmpty()
                  ? c.getValue().pattern().equals("^$")
                  : frames.stream().anyMatch(f -> c.getValue().matcher(f).find());
          if (hit) {
            categories.merge(c.getKey(), 1L, Long::sum);
          }
        }
        Set<String> seen = new HashSet<>();
        for (String f : frames) {
          if (f.startsWith("org.fieldops.") && seen.add(f)) {
            fieldopsInclusive.merge(f, 1L, Long::sum);
          }
        }
      }
    }
    long n = Math.max(1, samples);
    System.out.printf(Locale.ROOT, "JFR CPU samples of the server: %d (%s)%n", samples, file);
    System.out.println("share of samples by category (a sample counts in each category it hits):");
    for (Map.Entry<String, Long> c : categories.entrySet()) {
      System.out.printf(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * c.getValue() / n, c.getKey());
    }
    System.out.println("self time by component (the sample's top frame):");
    components.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(
            x ->
                System.out.printf(
                    Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * x.getValue() / n, x.getKey()));
    System.out.println("hottest FieldOps methods (inclusive):");
    fieldopsInclusive.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(top)
        .forEach(
            x ->
                System.out.printf(
                    Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * x.getValue() / n, x.getKey()));
    System.out.println("hottest frames (self):");
    self.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(top)
        .forEach(
            x ->
                System.out.printf(
                    Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * x.getValue() / n, x.getKey()));
  }
}
