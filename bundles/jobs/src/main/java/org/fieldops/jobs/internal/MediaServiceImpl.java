package org.fieldops.jobs.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.UnsupportedMediaException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.media.MediaContent;
import org.fieldops.api.media.MediaInfo;
import org.fieldops.api.media.MediaService;
import org.fieldops.api.media.StoredMedia;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.store.Database;
import org.fieldops.store.MediaEntity;
import org.fieldops.store.MediaRefEntity;
import org.fieldops.store.MediaUploaderEntity;
import org.fieldops.store.support.Checks;
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
 * The media store: files under {@code ${karaf.data}/fieldops/media} (see {@link MediaFiles}), one
 * {@code FO_MEDIA} row per hash. An upload's type comes from its first bytes ({@link
 * ImageSniffer}), its size is capped while it streams, its hash must be the one the client named.
 * Identical uploads race safely: each writes its own file, the primary key lets one row win, the
 * losers delete their files. A daily task removes media no job references once nobody uploaded them
 * for a configured number of days; its deletes are conditional, so several nodes may run it at
 * once.
 */
@Component(service = MediaService.class, immediate = true, configurationPid = "org.fieldops.media")
@Designate(ocd = MediaServiceImpl.Config.class)
public class MediaServiceImpl implements MediaService {
  private static final Logger LOG = LoggerFactory.getLogger(MediaServiceImpl.class);
  private static final Pattern KIND = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
  private static final int PURGE_BATCH = 500;

  @ObjectClassDefinition(
      name = "FieldOps media",
      description = "The store of photos and signatures")
  public @interface Config {
    @AttributeDefinition(description = "Largest accepted upload in bytes (default 15 MiB)")
    long maxBytes() default 15L * 1024 * 1024;

    @AttributeDefinition(
        description =
            "Folder of the media files, as an absolute path; empty means ${karaf.data}/fieldops/media")
    String directory() default "";

    @AttributeDefinition(
        description = "Days after its last upload that a media no job references is removed")
    int unreferencedDays() default 30;

    @AttributeDefinition(
        description = "Hour of the day (UTC, 0 to 23) at which unreferenced media are removed")
    int purgeHour() default 3;
  }

  /** What {@link #open} needs of a row, so that no entity leaves its transaction. */
  private record Found(MediaInfo info, String storedName) {}

  private final Database db;
  private final Clock clock;
  private final MediaFiles files;
  private final long maxBytes;
  private final Duration unreferencedAge;
  private final ScheduledExecutorService executor;

  @Activate
  public MediaServiceImpl(@Reference Database db, Config config) {
    this(
        db,
        Clock.systemUTC(),
        new MediaFiles(directory(config)),
        config.maxBytes(),
        Duration.ofDays(Math.max(1, config.unreferencedDays())));
    Instant now = Instant.now();
    long delay = Duration.between(now, nextPurge(now, config.purgeHour())).toMillis();
    executor.scheduleAtFixedRate(
        this::dailyPurge, delay, TimeUnit.DAYS.toMillis(1), TimeUnit.MILLISECONDS);
    LOG.info("Media store in {} (uploads up to {} bytes)", files.root(), maxBytes);
  }

  MediaServiceImpl(
      Database db, Clock clock, MediaFiles files, long maxBytes, Duration unreferencedAge) {
    this.db = db;
    this.clock = clock;
    this.files = files;
    this.maxBytes = Math.max(1, maxBytes);
    this.unreferencedAge = unreferencedAge;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fieldops-media-purge");
              t.setDaemon(true);
              return t;
            });
  }

  private static Path directory(Config config) {
    return config.directory().isBlank()
        ? Path.of(System.getProperty("karaf.data", "data"), "fieldops", "media")
        : Path.of(config.directory());
  }

  /** The next time of day {@code hour}:00 UTC after {@code now}. */
  static Instant nextPurge(Instant now, int hour) {
    ZonedDateTime today =
        now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withHour(Math.floorMod(hour, 24));
    return (today.toInstant().isAfter(now) ? today : today.plusDays(1)).toInstant();
  }

  @Deactivate
  void deactivate() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public long maxBytes() {
    return maxBytes;
  }

  @Override
  public StoredMedia store(String sha256, String declaredType, InputStream body, Caller caller) {
    checkSha256(sha256);
    String declared = declaredType == null ? "" : declaredType.strip().toLowerCase(Locale.ROOT);
    if (!ImageSniffer.ALLOWED.contains(declared)) {
      throw new UnsupportedMediaException(
          "send image/jpeg, image/png or image/webp, not " + declared);
    }
    byte[] head = new byte[ImageSniffer.HEAD];
    int headLength = body == null ? 0 : MediaFiles.readFully(body, head);
    String actual =
        ImageSniffer.typeOf(head, headLength)
            .orElseThrow(
                () -> new UnsupportedMediaException("the bytes are not a JPEG, PNG or WebP image"));
    if (!actual.equals(declared)) {
      throw new UnsupportedMediaException(
          "the bytes are " + actual + ", not the declared " + declared);
    }
    MediaFiles.Received received = files.receive(head, headLength, body, maxBytes);
    try {
      if (!received.sha256().equals(sha256)) {
        throw ValidationException.of(
            "sha256", "is not the SHA-256 of the body, which is " + received.sha256());
      }
      Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
      MediaInfo known = touch(sha256, caller.username(), now);
      if (known != null) {
        return new StoredMedia(known, false);
      }
      String stored = files.keep(received.temp());
      try {
        return new StoredMedia(
            insert(sha256, actual, received.size(), stored, caller.username(), now), true);
      } catch (RuntimeException e) {
        files.delete(stored);
        MediaInfo raced =
            touch(sha256, caller.username(), now); // the same bytes were stored meanwhile
        if (raced != null) {
          return new StoredMedia(raced, false);
        }
        throw e;
      }
    } finally {
      files.discard(received.temp()); // gone already if kept
    }
  }

  private MediaInfo insert(
      String sha256, String type, long size, String stored, String username, Instant now) {
    return db.inTransaction(
        em -> {
          MediaEntity m = new MediaEntity();
          m.sha256 = sha256;
          m.contentType = type;
          m.sizeBytes = size;
          m.storedName = stored;
          m.uploadedAt = now;
          m.lastUploadedAt = now;
          em.persist(m);
          em.persist(new MediaUploaderEntity(sha256, username, now));
          em.flush();
          return toInfo(m);
        });
  }

  /**
   * If the hash is stored: marks it uploaded now, records the uploader and returns it; else null.
   * The conditional UPDATE settles a race with a purge that deletes the row (one of them waits for
   * the other's row lock and sees its result).
   */
  private MediaInfo touch(String sha256, String username, Instant now) {
    try {
      return touchOnce(sha256, username, now);
    } catch (RuntimeException e) {
      return touchOnce(
          sha256, username, now); // the same user's concurrent upload recorded them first
    }
  }

  private MediaInfo touchOnce(String sha256, String username, Instant now) {
    return db.inTransaction(
        em -> {
          int updated =
              em.createNativeQuery("UPDATE FO_MEDIA SET LAST_UPLOADED_AT = ? WHERE SHA256 = ?")
                  .setParameter(1, Timestamp.from(now))
                  .setParameter(2, sha256)
                  .executeUpdate();
          if (updated == 0) {
            return null;
          }
          if (em.find(MediaUploaderEntity.class, new MediaUploaderEntity.Key(sha256, username))
              == null) {
            em.persist(new MediaUploaderEntity(sha256, username, now));
            em.flush();
          }
          MediaEntity m = em.find(MediaEntity.class, sha256);
          return toInfo(m);
        });
  }

  @Override
  public MediaContent open(String sha256, Caller caller) {
    checkSha256(sha256);
    Found found =
        db.read(
            em -> {
              MediaEntity m = em.find(MediaEntity.class, sha256);
              return m != null && mayRead(em, sha256, caller)
                  ? new Found(toInfo(m), m.storedName)
                  : null;
            });
    if (found == null) {
      throw new NotFoundException("media", sha256);
    }
    Path file = files.resolve(found.storedName());
    return new MediaContent(
        found.info(),
        () -> {
          try {
            return Files.newInputStream(file);
          } catch (NoSuchFileException purged) {
            throw new NotFoundException("media", sha256);
          }
        });
  }

  /**
   * Admin, dispatchers and finance read every media; anyone reads what they uploaded; a technician
   * reads what a job currently assigned to their (active) technician record references.
   */
  private static boolean mayRead(EntityManager em, String sha256, Caller caller) {
    if (caller.has(Role.DISPATCHER) || caller.has(Role.FINANCE)) {
      return true;
    }
    if (em.find(MediaUploaderEntity.class, new MediaUploaderEntity.Key(sha256, caller.username()))
        != null) {
      return true;
    }
    if (!caller.has(Role.TECHNICIAN)) {
      return false;
    }
    Long viaJob =
        em.createQuery(
                "SELECT COUNT(r) FROM MediaRefEntity r, JobTechnicianEntity a, TechnicianEntity t"
                    + " WHERE r.sha256 = :sha AND a.jobId = r.jobId AND t.id = a.technicianId"
                    + " AND t.username = :username AND t.active = :active",
                Long.class)
            .setParameter("sha", sha256)
            .setParameter("username", caller.username())
            .setParameter("active", true)
            .getSingleResult();
    return viaJob > 0;
  }

  @Override
  public void reference(String sha256, String jobId, String kind) {
    reference(sha256, jobId, kind, null, null);
  }

  @Override
  public void reference(String sha256, String jobId, String kind, String caption, String addedBy) {
    new Checks()
        .check(MediaInfo.isSha256(sha256), "sha256", "must be 64 lower-case hex digits")
        .check(
            jobId != null && !jobId.isBlank() && jobId.length() <= 36, "jobId", "must be a job id")
        .check(
            kind != null && KIND.matcher(kind).matches(),
            "kind",
            "must be 1 to 32 of a-z 0-9 . _ -")
        .check(
            caption == null || caption.length() <= 10_000, "caption", "at most 10,000 characters")
        .throwIfAny();
    MediaRefEntity.Key key = new MediaRefEntity.Key(sha256, jobId, kind);
    try {
      db.inTransaction(
          em -> {
            if (em.find(MediaEntity.class, sha256) == null) {
              throw new NotFoundException("media", sha256);
            }
            Long jobs =
                em.createQuery(
                        "SELECT COUNT(j) FROM WorkOrderEntity j WHERE j.id = :id", Long.class)
                    .setParameter("id", jobId)
                    .getSingleResult();
            if (jobs == 0) {
              throw new NotFoundException("job", jobId);
            }
            if (em.find(MediaRefEntity.class, key) == null) {
              MediaRefEntity ref = new MediaRefEntity(sha256, jobId, kind);
              ref.caption = caption;
              ref.addedBy =
                  addedBy == null
                      ? null
                      : addedBy.length() > 200 ? addedBy.substring(0, 200) : addedBy;
              ref.addedAt = clock.instant();
              em.persist(ref);
              em.flush();
            }
            return null;
          });
    } catch (NotFoundException e) {
      throw e;
    } catch (RuntimeException e) {
      if (db.read(em -> em.find(MediaRefEntity.class, key)) != null) {
        return; // a concurrent call recorded it first
      }
      if (db.read(em -> em.find(MediaEntity.class, sha256)) == null) {
        throw new NotFoundException("media", sha256); // purged meanwhile
      }
      throw e;
    }
  }

  @Override
  public int purgeUnreferenced() {
    Timestamp cutoff = Timestamp.from(clock.instant().minus(unreferencedAge));
    int removed = 0;
    String after = "";
    while (true) {
      String from = after;
      List<?> batch =
          db.read(
              em ->
                  em.createNativeQuery(
                          "SELECT M.SHA256 FROM FO_MEDIA M WHERE M.LAST_UPLOADED_AT < ? AND M.SHA256 > ?"
                              + " AND NOT EXISTS (SELECT 1 FROM FO_MEDIA_REF R WHERE R.SHA256 = M.SHA256) ORDER BY M.SHA256")
                      .setParameter(1, cutoff)
                      .setParameter(2, from)
                      .setMaxResults(PURGE_BATCH)
                      .getResultList());
      for (Object sha256 : batch) {
        if (remove((String) sha256, cutoff)) {
          removed++;
        }
        after = (String) sha256;
      }
      if (batch.size() < PURGE_BATCH) {
        return removed;
      }
    }
  }

  /**
   * Removes one media if it still qualifies: the row first (conditionally, so a concurrent upload
   * or reference keeps it; the reference's foreign key fails the delete otherwise), then the file.
   */
  private boolean remove(String sha256, Timestamp cutoff) {
    try {
      String stored =
          db.inTransaction(
              em -> {
                List<?> names =
                    em.createNativeQuery("SELECT STORED_NAME FROM FO_MEDIA WHERE SHA256 = ?")
                        .setParameter(1, sha256)
                        .getResultList();
                int deleted =
                    names.isEmpty()
                        ? 0
                        : em.createNativeQuery(
                                "DELETE FROM FO_MEDIA WHERE SHA256 = ? AND LAST_UPLOADED_AT < ?"
                                    + " AND NOT EXISTS (SELECT 1 FROM FO_MEDIA_REF R WHERE R.SHA256 = ?)")
                            .setParameter(1, sha256)
                            .setParameter(2, cutoff)
                            .setParameter(3, sha256)
                            .executeUpdate();
                if (deleted != 1) {
                  return null;
                }
                em.createNativeQuery("DELETE FROM FO_MEDIA_UPLOADER WHERE SHA256 = ?")
                    .setParameter(1, sha256)
                    .executeUpdate();
                return (String) names.get(0);
              });
      if (stored == null) {
        return false;
      }
      files.delete(stored);
      return true;
    } catch (RuntimeException e) {
      LOG.debug("Media {} not purged (in use meanwhile?): {}", sha256, e.toString());
      return false;
    }
  }

  /** The scheduled run; never throws (the executor would stop). */
  private void dailyPurge() {
    try {
      int removed = purgeUnreferenced();
      int swept = files.sweepTemporary(Instant.now().minus(Duration.ofDays(1)));
      LOG.info(
          "Media purge: removed {} unreferenced media, {} abandoned temporary files",
          removed,
          swept);
    } catch (RuntimeException e) {
      LOG.warn("Media purge failed; next run in a day: {}", e.toString());
    }
  }

  private static void checkSha256(String sha256) {
    if (!MediaInfo.isSha256(sha256)) {
      throw ValidationException.of(
          "sha256", "must be the SHA-256 of the body as 64 lower-case hex digits");
    }
  }

  private static MediaInfo toInfo(MediaEntity m) {
    return new MediaInfo(m.sha256, m.contentType, m.sizeBytes, m.uploadedAt);
  }
}
