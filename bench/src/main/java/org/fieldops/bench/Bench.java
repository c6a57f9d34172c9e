package org.fieldops.bench;

import java.util.Locale;

/**
 * The sync benchmark's entry point; {@code bench/run.sh} drives it.
 *
 * <ul>
 *   <li>{@code ingest}: part 1, events per second over HTTP (server running);
 *   <li>{@code ceiling}: part 2, the same rows by raw batched JDBC into a fresh Derby database
 *       (server stopped: reads the rows part 1 wrote from the server's database);
 *   <li>{@code generate}: part 3's data, a haystack of jobs bulk-inserted by JDBC (server stopped);
 *   <li>{@code packet}: part 3, full and delta packet build time for the needle technician (server
 *       running);
 *   <li>{@code settings}: the client's view of the machine.
 * </ul>
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] argv) throws Exception {
    Locale.setDefault(Locale.ROOT);
    // the server's JVM runs in UTC and Derby keeps TIMESTAMPs in the JVM's zone: read them alike
    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
    if (argv.length == 0) {
      System.err.println(
          "usage: Bench ingest|ceiling|generate|packet|settings [--name=value …]"
              + " | profile FILE.jfr | packet-report FILE.json…");
      System.exit(2);
    }
    boolean positional = argv[0].equals("profile") || argv[0].equals("packet-report");
    Args args = new Args(argv, positional ? argv.length : 1);
    switch (argv[0]) {
      case "ingest" -> new IngestBench(args).run();
      case "ceiling" -> new JdbcCeiling(args).run();
      case "generate" -> new Haystack(args).run();
      case "packet" -> new PacketBench(args).run();
      case "settings" -> settings();
      case "profile" ->
          Profile.summarize(
              java.nio.file.Path.of(argv[1]),
              30,
              argv.length > 2 ? java.time.Instant.parse(argv[2]) : java.time.Instant.MIN,
              argv.length > 3 ? java.time.Instant.parse(argv[3]) : java.time.Instant.MAX);
      case "packet-report" ->
          PacketBench.report(
              java.util.Arrays.stream(argv).skip(1).map(java.nio.file.Path::of).toList());
      default -> {
        System.err.println("unknown command " + argv[0]);
        System.exit(2);
      }
    }
  }

  private static void settings() {
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        "bench client: Java %s (%s), %d cores visible, max heap %d MiB, Derby %s%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        rt.availableProcessors(),
        rt.maxMemory() >> 20,
        Db.derbyVersion());
    System.out.println(
        "derby.system.durability = "
            + System.getProperty(
                "derby.system.durability", "(unset: default, log synced at every commit)"));
  }
}
