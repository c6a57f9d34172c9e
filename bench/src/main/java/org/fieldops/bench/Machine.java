package org.fieldops.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU accounting over a measured window, from /proc (Linux): the machine's busy, I/O-wait and idle
 * time, the server process's CPU time and this client's, to tell a CPU-bound run from one that
 * waits on the disk.
 */
final class Machine {
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  /** A snapshot of the counters. */
  record Sample(long nanos, long[] cpu, long serverTicks, long clientNanos) {}

  private final long serverPid;

  Machine(long serverPid) {
    this.serverPid = serverPid;
  }

  Sample sample() {
    return new Sample(System.nanoTime(), machineTicks(), processTicks(serverPid), clientCpuNanos());
  }

  /** CPU seconds the server process used between two samples (NaN if unknown). */
  static double serverCpuSeconds(Sample a, Sample b) {
    return a.serverTicks() < 0 || b.serverTicks() < 0
        ? Double.NaN
        : (b.serverTicks() - a.serverTicks()) / (double) TICKS_PER_SECOND;
  }

  /** CPU seconds this client used between two samples. */
  static double clientCpuSeconds(Sample a, Sample b) {
    return (b.clientNanos() - a.clientNanos()) / 1e9;
  }

  /** A one-line report of the window between two samples. */
  String report(Sample a, Sample b) {
    double seconds = (b.nanos() - a.nanos()) / 1e9;
    if (a.cpu() == null || b.cpu() == null) {
      return "CPU accounting unavailable (no /proc/stat)";
    }
    long[] d = new long[a.cpu().length];
    long total = 0;
    for (int i = 0; i < d.length; i++) {
      d[i] = b.cpu()[i] - a.cpu()[i];
      total += d[i];
    }
    // user nice system idle iowait irq softirq steal
    long idle = d[3];
    long iowait = d.length > 4 ? d[4] : 0;
    long steal = d.length > 7 ? d[7] : 0;
    long busy = total - idle - iowait;
    int cores = Runtime.getRuntime().availableProcessors();
    String server =
        a.serverTicks() < 0 || b.serverTicks() < 0
            ? "n/a"
            : String.format(
                Locale.ROOT,
                "%.1f core-s (%.0f%% of the machine)",
                (b.serverTicks() - a.serverTicks()) / (double) TICKS_PER_SECOND,
                100.0 * (b.serverTicks() - a.serverTicks()) / TICKS_PER_SECOND / (seconds * cores));
    return String.format(
        Locale.ROOT,
        "machine over %.1f s on %d cores: busy %.0f%%, iowait %.0f%%, idle %.0f%%, steal %.0f%%;"
            + " server JVM %s; bench client %.1f core-s; load average at the end %s",
        seconds,
        cores,
        pct(busy, total),
        pct(iowait, total),
        pct(idle, total),
        pct(steal, total),
        server,
        (b.clientNanos() - a.clientNanos()) / 1e9,
        loadAverage());
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static double pct(long part, long total) {
    return total == 0 ? 0 : 100.0 * part / total;
  }

  private static long[] machineTicks() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("cpu ")) {
          String[] f = line.trim().split("\\s+");
          long[] out = new long[Math.min(8, f.length - 1)];
          for (int i = 0; i < out.length; i++) {
            out[i] = Long.parseLong(f[i + 1]);
          }
          return out;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return null;
  }

  /** utime + stime of a process, in clock ticks; -1 if unknown. */
  static long processTicks(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields after the command: state(3) ... utime(14) stime(15), counted from 1 with pid
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long clientCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
