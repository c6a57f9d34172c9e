package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fieldops.api.MediaTooLargeException;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.UnsupportedMediaException;
import org.fieldops.api.master.TechnicianDraft;
import org.fieldops.api.media.MediaContent;
import org.fieldops.api.media.StoredMedia;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.security.UserDraft;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class MediaServiceImplTest {
  static final Instant T0 = Instant.parse("2026-11-25T08:30:00Z");
  static final long CAP = 64 * 1024;
  static final Caller TINA = new Caller("tina", Set.of(Role.TECHNICIAN));
  static final Caller TOM = new Caller("tom", Set.of(Role.TECHNICIAN));
  static final Caller DORA = new Caller("dora", Set.of(Role.DISPATCHER));
  static final Caller FRANK = new Caller("frank", Set.of(Role.FINANCE));

  @Rule public final TestDatabase db = new TestDatabase();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final MutableClock clock = new MutableClock(T0);
  private final Random random = new Random(42);
  private Path root;
  private MediaServiceImpl media;

  @Before
  public void setUp() {
    root = folder.getRoot().toPath().resolve("media");
    media = new MediaServiceImpl(db, clock, new MediaFiles(root), CAP, Duration.ofDays(30));
  }

  // ---- uploads

  @Test
  public void storesNewBytesOnceAndRecognizesThemAfterwards() throws IOException {
    byte[] png = png(5_000);
    StoredMedia first = store(png, "image/png", TINA);
    assertTrue(first.created());
    assertEquals(sha256(png), first.info().sha256());
    assertEquals("image/png", first.info().contentType());
    assertEquals(png.length, first.info().size());
    assertEquals(T0, first.info().uploadedAt());

    clock.advance(Duration.ofMinutes(5));
    StoredMedia again = store(png, "image/png", TINA);
    assertFalse(again.created());
    assertEquals(first.info(), again.info());
    assertEquals(1, storedFiles().size());
    assertEquals(List.of(), temporaryFiles());

    try (InputStream in = media.open(sha256(png), TINA).openStream()) {
      assertArrayEquals(png, in.readAllBytes());
    }
  }

  @Test
  public void storesUnderAGeneratedNameNotTheHash() {
    byte[] jpeg = jpeg(3_000);
    store(jpeg, "image/jpeg", TINA);
    Path file = storedFiles().get(0);
    String name = file.getFileName().toString();
    assertFalse(name, name.contains(sha256(jpeg)));
    UUID.fromString(name); // a generated UUID
    assertEquals(
        name.substring(0, 2) + "/" + name.substring(2, 4) + "/" + name,
        root.relativize(file).toString().replace('\\', '/'));
  }

  @Test
  public void acceptsJpegPngAndWebpDecidedFromTheBytes() {
    assertEquals("image/jpeg", store(jpeg(100), "image/jpeg", TINA).info().contentType());
    assertEquals("image/png", store(png(100), "IMAGE/PNG", TINA).info().contentType());
    assertEquals("image/webp", store(webp(100), "image/webp", TINA).info().contentType());
    assertEquals(3, storedFiles().size());
  }

  @Test
  public void aHashThatIsNotTheBodysIsRefused() {
    byte[] png = png(2_000);
    String other = sha256(png(2_000));
    invalid(() -> media.store(other, "image/png", new ByteArrayInputStream(png), TINA), "sha256");
    assertEquals(List.of(), allFiles());
    assertEquals(0, rows("FO_MEDIA"));
  }

  @Test
  public void aMalformedHashIsRefusedBeforeTheBodyIsRead() {
    String upper = sha256(png(10)).toUpperCase();
    for (String bad : List.of(upper, "abc", "", "../../etc/passwd", sha256(png(10)) + "0")) {
      invalid(() -> media.store(bad, "image/png", unreadable(), TINA), "sha256");
    }
    invalid(() -> media.open("not-a-hash", DORA), "sha256");
  }

  @Test
  public void executablesDeclaredAsImagesAreRefused() {
    byte[] elf = withHead(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0}, 4_000);
    byte[] pe = withHead("MZ\u0090\u0000".getBytes(StandardCharsets.ISO_8859_1), 4_000);
    byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
    byte[] svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"
            .getBytes(StandardCharsets.UTF_8);
    for (byte[] bytes :
        List.of(elf, pe, html, svg, new byte[0], new byte[] {(byte) 0x89, 'P', 'N', 'G'})) {
      assertThrows(
          UnsupportedMediaException.class,
          () -> media.store(sha256(bytes), "image/png", new ByteArrayInputStream(bytes), TINA));
    }
    assertEquals(List.of(), allFiles());
    assertEquals(0, rows("FO_MEDIA"));
  }

  @Test
  public void bytesOfAnotherTypeThanDeclaredAreRefused() {
    byte[] png = png(1_000);
    UnsupportedMediaException e =
        assertThrows(
            UnsupportedMediaException.class,
            () -> media.store(sha256(png), "image/jpeg", new ByteArrayInputStream(png), TINA));
    assertTrue(e.getMessage(), e.getMessage().contains("image/png"));
    for (String declared :
        List.of("image/gif", "image/svg+xml", "text/html", "application/octet-stream", "")) {
      assertThrows(
          UnsupportedMediaException.class,
          () -> media.store(sha256(png), declared, new ByteArrayInputStream(png), TINA));
    }
    assertThrows(
        UnsupportedMediaException.class,
        () -> media.store(sha256(png), null, new ByteArrayInputStream(png), TINA));
    assertEquals(List.of(), allFiles());
  }

  @Test
  public void aBodyOverTheCapIsRefusedAndLeavesNoFile() {
    byte[] big = png((int) CAP + 1);
    MediaTooLargeException e =
        assertThrows(
            MediaTooLargeException.class,
            () -> media.store(sha256(big), "image/png", new ByteArrayInputStream(big), TINA));
    assertEquals(CAP, e.maxBytes());
    assertEquals(List.of(), allFiles());
    assertEquals(0, rows("FO_MEDIA"));

    // exactly the cap is fine
    byte[] full = png((int) CAP);
    assertTrue(store(full, "image/png", TINA).created());
  }

  @Test
  public void readingStopsAtTheCapEvenIfTheBodyNeverEnds() {
    byte[] head = png(16);
    InputStream endless =
        new InputStream() {
          long served;

          @Override
          public int read() {
            return served < head.length ? head[(int) served++] : (int) (served++ & 0x7F);
          }

          @Override
          public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
              b[off + i] = (byte) read();
            }
            return len;
          }
        };
    assertThrows(
        MediaTooLargeException.class, () -> media.store(sha256(head), "image/png", endless, TINA));
    assertEquals(List.of(), allFiles());
  }

  @Test
  public void aBodyThatBreaksOffLeavesNoFile() {
    byte[] png = png(10_000);
    InputStream breaking =
        new InputStream() {
          int served;

          @Override
          public int read() throws IOException {
            if (served == 5_000) {
              throw new IOException("Early EOF");
            }
            return png[served++] & 0xFF;
          }
        };
    invalid(() -> media.store(sha256(png), "image/png", breaking, TINA), "body");
    assertEquals(List.of(), allFiles());
  }

  @Test
  public void concurrentUploadsOfTheSameBytesEndWithOneFileAndOneRow() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 8; round++) {
        byte[] png = png(20_000);
        CyclicBarrier start = new CyclicBarrier(4);
        List<Future<StoredMedia>> uploads = new ArrayList<>();
        for (Caller caller : List.of(TINA, TOM, DORA, TINA)) {
          uploads.add(
              pool.submit(
                  () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return store(png, "image/png", caller);
                  }));
        }
        int created = 0;
        for (Future<StoredMedia> f : uploads) {
          created += f.get(60, TimeUnit.SECONDS).created() ? 1 : 0;
        }
        assertEquals("round " + round, 1, created);
        assertEquals("round " + round, round + 1, rows("FO_MEDIA"));
        assertEquals("round " + round, round + 1, storedFiles().size());
        assertEquals(List.of(), temporaryFiles());
        // every uploader may read it
        for (Caller caller : List.of(TINA, TOM, DORA)) {
          assertEquals(png.length, media.open(sha256(png), caller).info().size());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- who may read

  @Test
  public void anotherTechniciansUploadIsNotFoundButTheOfficeReadsIt() throws IOException {
    byte[] png = png(1_000);
    store(png, "image/png", TINA);
    String sha = sha256(png);
    assertThrows(NotFoundException.class, () -> media.open(sha, TOM));
    assertThrows(
        NotFoundException.class,
        () -> media.open(sha256(png(10)), TINA)); // unknown: the same answer
    for (Caller office : List.of(DORA, FRANK, Caller.system())) {
      MediaContent content = media.open(sha, office);
      try (InputStream in = content.openStream()) {
        assertArrayEquals(png, in.readAllBytes());
      }
    }
  }

  @Test
  public void aTechnicianReadsMediaOfJobsAssignedToThem() {
    fixtures();
    String tomsTech = technician("tom", true);
    String tedsTech = technician("ted", false);
    String job = job();
    String otherJob = job();
    assign(job, tomsTech);
    assign(job, tedsTech);

    byte[] photo = png(1_000);
    byte[] signature = png(800);
    store(photo, "image/png", TINA);
    store(signature, "image/png", TINA);
    media.reference(sha256(photo), job, "photo");
    media.reference(sha256(signature), otherJob, "signature");

    assertEquals(photo.length, media.open(sha256(photo), TOM).info().size());
    assertThrows(
        NotFoundException.class, () -> media.open(sha256(signature), TOM)); // not their job
    Caller ted = new Caller("ted", Set.of(Role.TECHNICIAN));
    assertThrows(
        NotFoundException.class, () -> media.open(sha256(photo), ted)); // inactive technician

    unassign(job, tomsTech);
    assertThrows(NotFoundException.class, () -> media.open(sha256(photo), TOM));
  }

  @Test
  public void referencesAreIdempotentAndNeedAKnownMediaAndJob() {
    fixtures();
    String job = job();
    byte[] photo = png(500);
    String sha = sha256(photo);
    assertThrows(NotFoundException.class, () -> media.reference(sha, job, "photo"));
    store(photo, "image/png", TINA);
    media.reference(sha, job, "photo");
    media.reference(sha, job, "photo");
    media.reference(sha, job, "checklist");
    assertEquals(2, rows("FO_MEDIA_REF"));
    assertThrows(
        NotFoundException.class, () -> media.reference(sha, UUID.randomUUID().toString(), "photo"));
    invalid(() -> media.reference("x", job, "Photo!"), "sha256", "kind");
    invalid(() -> media.reference(sha, " ", "photo"), "jobId");
  }

  // ---- purge

  @Test
  public void purgeRemovesOnlyUnreferencedMediaOlderThanTheAge() {
    fixtures();
    String job = job();
    byte[] orphan = png(300);
    byte[] used = png(300);
    byte[] renewed = png(300);
    store(orphan, "image/png", TINA);
    store(used, "image/png", TINA);
    store(renewed, "image/png", TINA);
    media.reference(sha256(used), job, "photo");

    clock.advance(Duration.ofDays(20));
    byte[] young = png(300);
    store(young, "image/png", TINA);
    store(renewed, "image/png", TOM); // uploaded again: ages from now

    clock.advance(Duration.ofDays(10).plusMinutes(1)); // orphan: 30 days and a minute
    assertEquals(1, media.purgeUnreferenced());
    assertThrows(NotFoundException.class, () -> media.open(sha256(orphan), DORA));
    for (byte[] kept : List.of(used, renewed, young)) {
      assertEquals(300, media.open(sha256(kept), DORA).info().size());
    }
    assertEquals(3, storedFiles().size());
    assertEquals(0, rowsWhere("FO_MEDIA_UPLOADER", sha256(orphan)));
    assertEquals(0, media.purgeUnreferenced());

    clock.advance(Duration.ofDays(30));
    assertEquals(2, media.purgeUnreferenced()); // young and renewed; used stays for good
    assertEquals(1, storedFiles().size());
    assertEquals(1, rows("FO_MEDIA"));
    assertEquals(300, media.open(sha256(used), DORA).info().size());

    // gone means gone: the same bytes may be uploaded again as new
    assertTrue(store(orphan, "image/png", TINA).created());
  }

  @Test
  public void aPurgedFileReadsAsNotFound() throws IOException {
    byte[] png = png(300);
    store(png, "image/png", TINA);
    MediaContent content = media.open(sha256(png), TINA);
    clock.advance(Duration.ofDays(31));
    assertEquals(1, media.purgeUnreferenced());
    assertThrows(NotFoundException.class, content::openStream);
  }

  @Test
  public void sweepsAbandonedTemporaryFiles() throws IOException {
    Path tmp = root.resolve("tmp");
    Path old = Files.writeString(tmp.resolve("upload-old.part"), "x");
    Path fresh = Files.writeString(tmp.resolve("upload-fresh.part"), "x");
    Files.setLastModifiedTime(
        old, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofDays(2))));
    assertEquals(1, new MediaFiles(root).sweepTemporary(Instant.now().minus(Duration.ofDays(1))));
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(fresh));
  }

  @Test
  public void thePurgeRunsDailyAtTheConfiguredHourUtc() {
    assertEquals(Instant.parse("2026-11-26T03:00:00Z"), MediaServiceImpl.nextPurge(T0, 3));
    assertEquals(Instant.parse("2026-11-25T21:00:00Z"), MediaServiceImpl.nextPurge(T0, 21));
    assertEquals(
        Instant.parse("2026-11-26T08:00:00Z"),
        MediaServiceImpl.nextPurge(Instant.parse("2026-11-25T08:00:00Z"), 8));
  }

  // ---- helpers

  private StoredMedia store(byte[] bytes, String type, Caller caller) {
    return media.store(sha256(bytes), type, new ByteArrayInputStream(bytes), caller);
  }

  private byte[] png(int size) {
    return withHead(
        new byte[] {
          (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'
        },
        size);
  }

  private byte[] jpeg(int size) {
    return withHead(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, size);
  }

  private byte[] webp(int size) {
    byte[] head = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
    return withHead(head, size);
  }

  /** {@code head} followed by random bytes, {@code size} in all. */
  private byte[] withHead(byte[] head, int size) {
    byte[] bytes = new byte[Math.max(size, head.length)];
    random.nextBytes(bytes);
    System.arraycopy(head, 0, bytes, 0, head.length);
    return bytes;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InputStream unreadable() {
    return new InputStream() {
      @Override
      public int read() {
        throw new AssertionError("the body was read");
      }
    };
  }

  /** Stored files, temporary ones excluded. */
  private List<Path> storedFiles() {
    return files().filter(p -> !p.startsWith(root.resolve("tmp"))).toList();
  }

  private List<Path> temporaryFiles() {
    return files().filter(p -> p.startsWith(root.resolve("tmp"))).toList();
  }

  private List<Path> allFiles() {
    return files().toList();
  }

  private Stream<Path> files() {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long rows(String table) {
    return db.read(
        em ->
            ((Number) em.createNativeQuery("SELECT COUNT(*) FROM " + table).getSingleResult())
                .longValue());
  }

  private long rowsWhere(String table, String sha) {
    return db.read(
        em ->
            ((Number)
                    em.createNativeQuery("SELECT COUNT(*) FROM " + table + " WHERE SHA256 = ?")
                        .setParameter(1, sha)
                        .getSingleResult())
                .longValue());
  }

  // job fixtures: a customer and a site, jobs, technicians linked to users

  private String customer;
  private String site;

  private void fixtures() {
    customer = UUID.randomUUID().toString();
    site = UUID.randomUUID().toString();
    exec(
        "INSERT INTO FO_CUSTOMER (ID, NAME, CURRENCY, VERSION, CREATED_AT, CREATED_BY, UPDATED_AT, UPDATED_BY)"
            + " VALUES (?, 'Acme', 'USD', 1, ?, 'test', ?, 'test')",
        customer,
        now(),
        now());
    exec(
        "INSERT INTO FO_SITE (ID, CUSTOMER_ID, ADDRESS, VERSION, CREATED_AT, CREATED_BY, UPDATED_AT, UPDATED_BY)"
            + " VALUES (?, ?, 'Roof', 1, ?, 'test', ?, 'test')",
        site,
        customer,
        now(),
        now());
  }

  private String job() {
    String id = UUID.randomUUID().toString();
    exec(
        "INSERT INTO FO_JOB (ID, CUSTOMER_ID, SITE_ID, TITLE, JOB_TYPE, PRIORITY, STATUS, VERSION, CREATED_AT,"
            + " CREATED_BY, UPDATED_AT, UPDATED_BY) VALUES (?, ?, ?, 'Job', 'hvac', 'NORMAL', 'DISPATCHED', 1, ?, 'test', ?, 'test')",
        id,
        customer,
        site,
        now(),
        now());
    return id;
  }

  private String technician(String username, boolean active) {
    UserServiceImpl users = new UserServiceImpl(db, clock, 1_000, Duration.ofSeconds(30));
    users.create(
        new UserDraft(username, "correct horse battery", List.of("technician"), null),
        Caller.system());
    return new TechnicianServiceImpl(db, clock)
        .create(new TechnicianDraft(username, username, List.of(), active), DORA)
        .id();
  }

  private void assign(String job, String technician) {
    exec("INSERT INTO FO_JOB_TECHNICIAN (JOB_ID, TECHNICIAN_ID) VALUES (?, ?)", job, technician);
  }

  private void unassign(String job, String technician) {
    exec("DELETE FROM FO_JOB_TECHNICIAN WHERE JOB_ID = ? AND TECHNICIAN_ID = ?", job, technician);
  }

  private Timestamp now() {
    return Timestamp.from(clock.instant());
  }

  private void exec(String sql, Object... params) {
    db.inTransaction(
        em -> {
          var q = em.createNativeQuery(sql);
          for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
          }
          return q.executeUpdate();
        });
  }
}
