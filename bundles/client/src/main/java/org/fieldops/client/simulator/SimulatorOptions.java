package org.fieldops.client.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The simulator's command line. */
record SimulatorOptions(
    String command,
    URI server,
    String user,
    String password,
    String device,
    Path data,
    int days,
    boolean offline,
    int maxJobs,
    long pauseMillis,
    int extraNotes,
    int batch,
    Duration maxWait,
    boolean quiet) {

  static final List<String> COMMANDS = List.of("day", "packet", "work", "sync", "status");

  static final String USAGE =
      """
      FieldOps technician simulator: a technician's phone, from the command line.

      usage: java -jar fieldops-client-VERSION-simulator.jar [options] [command]

      commands:
        day     (default) download the packet, go offline, work through the day's jobs,
                come back online and sync: a whole offline day in one run
        packet  download or refresh the packet and list the day's jobs
        work    work through the day's jobs (with --offline nothing goes over the network)
        sync    upload what is queued (retrying with backoff up to --max-wait), refresh the packet
        status  what is queued, in review and rejected, and the last sync

      options:
        --server URL      the server (default http://localhost:8181)
        --user NAME       the technician's user name (required)
        --password PW     the password (or the environment variable FIELDOPS_PASSWORD)
        --device ID       this phone's device id (default sim-USER)
        --data DIR        the phone's store (default ./fieldops-sim/DEVICE)
        --days N          the packet's window in days, today included (default 1)
        --offline         no network in this run (packet from the cache, nothing sent)
        --jobs N          work at most N jobs
        --pause MS        pause after each recorded change (to kill the simulator mid-way)
        --notes N         extra notes per job (load)
        --batch N         events per upload, 1-500 (default 500)
        --max-wait SEC    how long sync keeps retrying (default 120)
        --quiet           no line per event, only summaries
      """;

  static SimulatorOptions parse(String[] args) {
    String command = "day";
    URI server = URI.create("http://localhost:8181");
    String user = null;
    String password = System.getenv("FIELDOPS_PASSWORD");
    String device = null;
    Path data = null;
    int days = 1;
    boolean offline = false;
    int maxJobs = Integer.MAX_VALUE;
    long pause = 0;
    int notes = 0;
    int batch = 500;
    Duration maxWait = Duration.ofSeconds(120);
    boolean quiet = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--server" -> server = URI.create(value(args, ++i, a));
        case "--user" -> user = value(args, ++i, a);
        case "--password" -> password = value(args, ++i, a);
        case "--device" -> device = value(args, ++i, a);
        case "--data" -> data = Path.of(value(args, ++i, a));
        case "--days" -> days = Integer.parseInt(value(args, ++i, a));
        case "--offline" -> offline = true;
        case "--jobs" -> maxJobs = Integer.parseInt(value(args, ++i, a));
        case "--pause" -> pause = Long.parseLong(value(args, ++i, a));
        case "--notes" -> notes = Integer.parseInt(value(args, ++i, a));
        case "--batch" -> batch = Integer.parseInt(value(args, ++i, a));
        case "--max-wait" -> maxWait = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
        case "--quiet" -> quiet = true;
        case "-h", "--help" -> throw new IllegalArgumentException("");
        default -> {
          if (a.startsWith("-") || !COMMANDS.contains(a)) {
            throw new IllegalArgumentException("unknown argument: " + a);
          }
          command = a;
        }
      }
    }
    if (user == null) {
      throw new IllegalArgumentException("--user is required");
    }
    if (password == null && !offline && !"status".equals(command)) {
      throw new IllegalArgumentException("--password (or FIELDOPS_PASSWORD) is required");
    }
    if (device == null) {
      device = "sim-" + user.replaceAll("[^A-Za-z0-9._:-]", "-");
    }
    if (data == null) {
      data = Path.of("fieldops-sim", device);
    }
    return new SimulatorOptions(
        command,
        server,
        user,
        password == null ? "" : password,
        device,
        data,
        days,
        offline,
        maxJobs,
        pause,
        notes,
        batch,
        maxWait,
        quiet);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
