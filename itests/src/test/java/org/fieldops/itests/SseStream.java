package org.fieldops.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test client of {@code GET /board/changes}: reads the Server-Sent Events stream on its own
 * thread, keeps every raw line, and hands out parsed events and comments as they arrive.
 */
final class SseStream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One event: its id, name, data lines joined, and its raw lines. */
  record Event(String id, String name, String data, List<String> lines) {
    JsonNode json() {
      try {
        return JSON.readTree(data);
      } catch (IOException e) {
        throw new AssertionError("data is not JSON: " + data, e);
      }
    }

    long cursor() {
      return Long.parseLong(id);
    }
  }

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
  private final List<String> raw = new ArrayList<>();
  private final HttpResponse<Stream<String>> response;
  private final Thread reader;

  private SseStream(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    if (response.statusCode() == 200) {
      reader.start();
    }
  }

  /** Opens the stream; {@code headers} are name, value pairs. */
  static SseStream open(String url, String user, String password, String... headers)
      throws IOException, InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return new SseStream(client.send(b.build(), HttpResponse.BodyHandlers.ofLines()));
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private String errorBody;

  /** The body of a stream that was refused (not 200). */
  synchronized String errorBody() {
    if (errorBody == null) {
      StringBuilder s = new StringBuilder();
      response.body().limit(50).forEach(s::append);
      errorBody = s.toString();
    }
    return errorBody;
  }

  private void read() {
    String id = null;
    String name = null;
    StringBuilder data = null;
    List<String> lines = new ArrayList<>();
    try {
      for (String line : (Iterable<String>) response.body()::iterator) {
        synchronized (raw) {
          raw.add(line);
        }
        if (line.isEmpty()) {
          if (data != null || id != null) {
            events.add(new Event(id, name, data == null ? null : data.toString(), lines));
          }
          id = null;
          name = null;
          data = null;
          lines = new ArrayList<>();
          continue;
        }
        lines.add(line);
        if (line.startsWith(":")) {
          comments.add(line.substring(1).strip());
        } else if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          String part = line.substring(5);
          part = part.startsWith(" ") ? part.substring(1) : part;
          data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
        }
      }
    } catch (RuntimeException closed) {
      // the stream was closed
    }
  }

  /** The next event, or an AssertionError after {@code timeout}. */
  Event next(Duration timeout) throws InterruptedException {
    Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no event within " + timeout + "; raw so far: " + raw());
    }
    return e;
  }

  /** The next event if one comes within {@code timeout}, else null. */
  Event poll(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Events until one for {@code jobId} at {@code version} or later arrives. */
  Event awaitJob(String jobId, long version, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "no event for job " + jobId + " v" + version + "; raw so far: " + raw());
      }
      Event e = events.poll(left, TimeUnit.NANOSECONDS);
      if (e != null
          && jobId.equals(e.json().path("jobId").asText())
          && e.json().path("version").asLong() >= version) {
        return e;
      }
    }
  }

  String comment(Duration timeout) throws InterruptedException {
    return comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  List<String> raw() {
    synchronized (raw) {
      return List.copyOf(raw);
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (RuntimeException e) {
      // already closed
    }
    reader.interrupt();
  }
}
