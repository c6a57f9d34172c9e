package org.fieldops.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.sse.OutboundSseEvent;
import javax.ws.rs.sse.Sse;
import javax.ws.rs.sse.SseEventSink;
import org.fieldops.api.jobs.ChangeLog;
import org.fieldops.api.jobs.JobChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The board's change stream: one poller follows the change log (the database's, so every node sees
 * every node's changes) and fans each new entry out to all open streams; no thread waits per
 * client. Writing to a stream is the SSE sink's own asynchronous queue, so a slow client holds up
 * nobody. A stream that resumes from an older cursor catches up from a buffer of recent entries, or
 * page by page from the log, before it gets new ones; every stream gets every entry after its
 * cursor once, in cursor order. A comment heartbeat goes to every stream every 15 seconds.
 */
final class BoardFeed {
  private static final Logger LOG = LoggerFactory.getLogger(BoardFeed.class);
  static final long POLL_MILLIS = 10;
  static final long HEARTBEAT_MILLIS = 15_000;
  private static final int PAGE = 500;
  private static final int RECENT = 10_000;

  private final ChangeLog changes;
  private final ObjectMapper json = JsonMapping.mapper();
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final Deque<JobChange> recent = new ArrayDeque<>();
  private final ScheduledExecutorService executor;
  private final long heartbeatMillis;
  private long head = -1;
  private long lastHeartbeat = System.currentTimeMillis();

  BoardFeed(ChangeLog changes) {
    this(changes, HEARTBEAT_MILLIS);
  }

  BoardFeed(ChangeLog changes, long heartbeatMillis) {
    this.changes = changes;
    this.heartbeatMillis = heartbeatMillis;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fieldops-board-feed");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(this::round, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The change log's head now (where a stream without a cursor starts). */
  long head() {
    return changes.head();
  }

  /** Opens a stream that gets every change after {@code cursor}. */
  void open(SseEventSink sink, Sse sse, long cursor) {
    streams.add(new Stream(sink, sse, cursor));
  }

  int openStreams() {
    return streams.size();
  }

  void stop() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Stream s : streams) {
      s.close();
    }
    streams.clear();
  }

  /** One poll; never throws (the executor would stop). */
  void round() {
    try {
      if (streams.isEmpty()) {
        head = -1;
        recent.clear();
        return;
      }
      if (head < 0) {
        head = changes.head();
      }
      List<JobChange> fresh = changes.after(head, PAGE);
      for (JobChange c : fresh) {
        recent.addLast(c);
        head = c.cursor();
      }
      while (recent.size() > RECENT) {
        recent.removeFirst();
      }
      long now = System.currentTimeMillis();
      boolean beat = now - lastHeartbeat >= heartbeatMillis;
      if (beat) {
        lastHeartbeat = now;
      }
      for (Stream s : streams) {
        if (s.sink.isClosed()) {
          streams.remove(s);
          continue;
        }
        deliver(s);
        if (beat) {
          s.send(s.sse.newEventBuilder().comment("heartbeat").build());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Board feed round failed; retrying: {}", e.toString());
    }
  }

  private void deliver(Stream s) {
    if (s.cursor >= head) {
      return;
    }
    long oldest = recent.isEmpty() ? Long.MAX_VALUE : recent.peekFirst().cursor();
    if (s.cursor + 1 < oldest) {
      // behind the buffer: one page from the log per round
      for (JobChange c : changes.after(s.cursor, PAGE)) {
        if (c.cursor() > head) {
          break;
        }
        s.send(event(s.sse, c));
        s.cursor = c.cursor();
      }
      return;
    }
    for (JobChange c : recent) {
      if (c.cursor() > s.cursor) {
        s.send(event(s.sse, c));
        s.cursor = c.cursor();
      }
    }
  }

  private OutboundSseEvent event(Sse sse, JobChange c) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("jobId", c.jobId());
    data.put("status", c.status().name());
    data.put("version", c.version());
    data.put("technicianIds", new ArrayList<>(c.technicianIds()));
    data.put("cursor", c.cursor());
    try {
      return sse.newEventBuilder()
          .id(Long.toString(c.cursor()))
          .name("job")
          .mediaType(MediaType.TEXT_PLAIN_TYPE)
          .data(String.class, json.writeValueAsString(data))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One open stream and the last cursor it was sent. */
  private final class Stream {
    final SseEventSink sink;
    final Sse sse;
    long cursor;

    Stream(SseEventSink sink, Sse sse, long cursor) {
      this.sink = sink;
      this.sse = sse;
      this.cursor = cursor;
    }

    void send(OutboundSseEvent event) {
      try {
        sink.send(event)
            .whenComplete(
                (ok, failure) -> {
                  if (failure != null) {
                    streams.remove(this);
                    close();
                  }
                });
      } catch (RuntimeException closed) {
        streams.remove(this);
        close();
      }
    }

    void close() {
      try {
        sink.close();
      } catch (RuntimeException e) {
        // already gone
      }
    }
  }
}
