package org.fieldops.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** PUT and GET /media/{sha256} over HTTP in the real distribution, with a 4 KiB cap. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MediaIT extends FieldOpsTestSupport {
  private static final int CAP = 4096;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Random random = new Random();

  @Configuration
  public Option[] config() {
    return OptionUtils.combine(
        distribution(),
        editConfigurationFilePut("etc/org.fieldops.media.cfg", "maxBytes", String.valueOf(CAP)));
  }

  @Before
  public void ready() throws InterruptedException {
    awaitApi();
  }

  @Test
  public void uploadOnceThenReadWithSafeHeadersAsAllowed() throws Exception {
    String tech = user("technician");
    String colleague = user("technician");
    String stranger = user("technician");
    String dispatcher = user("dispatcher");
    String finance = user("finance");
    byte[] png = png(2_000);
    String sha = sha256(png);

    Reply created = put(sha, "image/png", png, tech).expect(201);
    assertTrue(
        created.header("Location"), created.header("Location").endsWith("/api/v1/media/" + sha));
    assertEquals("\"" + sha + "\"", created.header("ETag"));
    JsonNode info = created.json();
    assertEquals(sha, info.get("sha256").asText());
    assertEquals("image/png", info.get("contentType").asText());
    assertEquals(2_000, info.get("size").asInt());
    assertTrue(info.toString(), info.hasNonNull("uploadedAt"));

    // the same bytes again, by anyone allowed to upload: 200, nothing new
    assertEquals(info, put(sha, "image/png", png, tech).expect(200).json());
    put(sha, "image/png", png, colleague).expect(200);
    put(sha, "image/png", png, dispatcher).expect(200);

    HttpResponse<byte[]> download = download(sha, tech);
    assertEquals(200, download.statusCode());
    assertArrayEquals(png, download.body());
    assertEquals("image/png", download.headers().firstValue("Content-Type").orElse(null));
    assertEquals("nosniff", download.headers().firstValue("X-Content-Type-Options").orElse(null));
    assertEquals("2000", download.headers().firstValue("Content-Length").orElse(null));
    assertEquals("\"" + sha + "\"", download.headers().firstValue("ETag").orElse(null));
    String cache = download.headers().firstValue("Cache-Control").orElse("");
    assertTrue(
        cache,
        cache.contains("private")
            && cache.contains("max-age=31536000")
            && cache.contains("immutable"));
    assertEquals(304, download(sha, tech, "If-None-Match", "\"" + sha + "\"").statusCode());

    // every uploader, dispatchers and finance read it; another technician gets 404, as for an
    // unknown hash
    for (String reader : new String[] {colleague, dispatcher, finance, "admin"}) {
      assertEquals(reader, 200, download(sha, reader).statusCode());
    }
    get("/media/" + sha, stranger, PW).expect(404);
    call("GET", "/media/" + sha, stranger, PW, null, null, "Accept", "image/*")
        .expect(404); // as an <img> asks
    get("/media/" + sha256(png(100)), tech, PW).expect(404);
    get("/media/" + sha, null, null).expect(401);
  }

  @Test
  public void refusalsAnswerProblems() {
    String tech = user("technician");
    String finance = user("finance");
    byte[] png = png(1_000);
    String sha = sha256(png);

    // roles first: finance reads media but may not upload
    put(sha, "image/png", png, finance).expect(403);
    put(sha, "image/png", png, null).expect(401);

    // the hash must be the body's, in lower-case hex
    put(sha256(png(1_000)), "image/png", png, tech).expectFieldError("sha256");
    put(sha.toUpperCase(), "image/png", png, tech).expectFieldError("sha256");
    put("not-a-hash", "image/png", png, tech).expectFieldError("sha256");

    // the type comes from the bytes
    byte[] elf = withHead(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0}, 1_000);
    put(sha256(elf), "image/png", elf, tech).expect(415);
    byte[] pe = withHead("MZ".getBytes(StandardCharsets.US_ASCII), 1_000);
    put(sha256(pe), "image/jpeg", pe, tech).expect(415);
    put(sha, "image/jpeg", png, tech).expect(415);
    put(sha, "application/octet-stream", png, tech).expect(415);
    put(sha, "text/html", png, tech).expect(415);

    // over the cap: refused by its Content-Length before the body is read, or while it streams in
    byte[] big = png(CAP + 1);
    Reply tooLarge = put(sha256(big), "image/png", big, tech).expect(413);
    assertEquals(CAP, tooLarge.json().get("maxBytes").asInt());
    send(HttpRequest.newBuilder(URI.create(api() + "/media/" + sha256(big)))
            .header("Authorization", basic(tech, PW))
            .header("Content-Type", "image/png")
            .PUT(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(big)))) // chunked
        .expect(413);

    // nothing of it was stored
    get("/media/" + sha, "admin", ADMIN_PASSWORD).expect(404);
    get("/media/" + sha256(elf), "admin", ADMIN_PASSWORD).expect(404);
    get("/media/" + sha256(big), "admin", ADMIN_PASSWORD).expect(404);
    // the cap itself is fine
    byte[] full = png(CAP);
    put(sha256(full), "image/png", full, tech).expect(201);
  }

  private static Reply put(String sha, String type, byte[] body, String user) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api() + "/media/" + sha))
            .header("Content-Type", type)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    if (user != null) {
      b.header("Authorization", basic(user, "admin".equals(user) ? ADMIN_PASSWORD : PW));
    }
    return send(b);
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r);
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<byte[]> download(String sha, String user, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api() + "/media/" + sha))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", basic(user, "admin".equals(user) ? ADMIN_PASSWORD : PW))
            .GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private byte[] png(int size) {
    return withHead(
        new byte[] {
          (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'
        },
        size);
  }

  private byte[] withHead(byte[] head, int size) {
    byte[] bytes = new byte[Math.max(size, head.length)];
    random.nextBytes(bytes);
    System.arraycopy(head, 0, bytes, 0, head.length);
    return bytes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
