package org.fieldops.sync.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fieldops.api.jobs.JobService;
import org.fieldops.api.sync.PacketService;
import org.fieldops.api.sync.PacketService.PrimeReport;
import org.fieldops.store.Database;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overnight priming: at {@code primeAt} (business time zone) one node of the cluster (the first to
 * claim the day's row in FO_LEASE) builds and stores the packet of every active technician for the
 * coming work day: the same day when {@code primeAt} is before noon, else the next day.
 */
@Component(immediate = true, configurationPid = "org.fieldops.sync")
@Designate(ocd = PrimeScheduler.Config.class)
public class PrimeScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(PrimeScheduler.class);

  @ObjectClassDefinition(name = "FieldOps sync", description = "Technicians' packets and uploads")
  public @interface Config {
    @AttributeDefinition(description = "Time of the nightly packet priming (HH:mm, business zone)")
    String primeAt() default "02:00";

    @AttributeDefinition(description = "Prime packets every night")
    boolean primeEnabled() default true;
  }

  private final Database db;
  private final PacketService packets;
  private final JobService jobs;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService executor;
  private final LocalTime at;
  private final String node = "node-" + UUID.randomUUID();

  @Activate
  public PrimeScheduler(
      @Reference Database db,
      @Reference PacketService packets,
      @Reference JobService jobs,
      Config config) {
    this.db = db;
    this.packets = packets;
    this.jobs = jobs;
    this.at = time(config.primeAt());
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fieldops-packet-priming");
              t.setDaemon(true);
              return t;
            });
    if (config.primeEnabled()) {
      scheduleNext();
    }
  }

  static LocalTime time(String value) {
    try {
      return LocalTime.parse(value == null ? "02:00" : value.strip());
    } catch (DateTimeParseException bad) {
      LOG.warn("Invalid primeAt '{}' in etc/org.fieldops.sync.cfg; using 02:00", value);
      return LocalTime.of(2, 0);
    }
  }

  @Deactivate
  void deactivate() {
    executor.shutdownNow();
  }

  private void scheduleNext() {
    ZoneId zone = jobs.zone();
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
    ZonedDateTime next = now.with(at).withSecond(0).withNano(0);
    if (!next.isAfter(now)) {
      next = next.plusDays(1);
    }
    executor.schedule(this::run, Duration.between(now, next).toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    try {
      LocalDate today = LocalDate.now(clock.withZone(jobs.zone()));
      LocalDate day = at.isBefore(LocalTime.NOON) ? today : today.plusDays(1);
      if (claim(day)) {
        PrimeReport r = packets.prime(day, null);
        LOG.info(
            "Primed {} packets ({} jobs) for {} in {} ms", r.done(), r.jobs(), day, r.millis());
      }
    } catch (RuntimeException e) {
      LOG.warn("Packet priming failed; packets are built on request instead", e);
    } finally {
      if (!executor.isShutdown()) {
        scheduleNext();
      }
    }
  }

  /** One node per day: the first to insert the day's lease row primes. */
  private boolean claim(LocalDate day) {
    try {
      // the claims of past days are no longer needed
      db.inTransaction(
          em ->
              em.createNativeQuery("DELETE FROM FO_LEASE WHERE NAME LIKE ? AND EXPIRES_AT < ?")
                  .setParameter(1, "packet-prime:%")
                  .setParameter(2, java.sql.Timestamp.from(clock.instant()))
                  .executeUpdate());
    } catch (RuntimeException ignored) {
      // housekeeping only
    }
    try {
      return db.inTransaction(
          em ->
              em.createNativeQuery(
                          "INSERT INTO FO_LEASE (NAME, HOLDER, EXPIRES_AT) VALUES (?, ?, ?)")
                      .setParameter(1, "packet-prime:" + day)
                      .setParameter(2, node)
                      .setParameter(3, java.sql.Timestamp.from(clock.instant().plusSeconds(86_400)))
                      .executeUpdate()
                  == 1);
    } catch (RuntimeException taken) {
      LOG.info("Packets for {} are primed by another node", day);
      return false;
    }
  }
}
