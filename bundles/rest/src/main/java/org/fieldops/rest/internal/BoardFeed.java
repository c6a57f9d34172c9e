package org.fieldops.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.sse.OutboundSseEvent;
import javax.ws.rs.sse.Sse;
import javax.ws.rs.sse.SseEventSink;
import org.fieldops.api.jobs.ChangeLog;
import org.fieldops.api.jobs.JobChange;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The board's change stream: one poller follows the change log (the database's, so every node sees
 * every node's changes) and fans each new entry out to all open streams; no thread waits per
 * client. Writing to a stream is the SSE sink's own asynchronous queue, so a slow client holds up
 * nobody. A stream that resumes from an older cursor catches up from a buffer of recent entries, or
 * page by page from the log, before it gets new ones; every stream gets every entry after its
 * cursor once, in cursor order. A comment heartbeat goes to every stream every 15 seconds.
 *
 * <p>Besides its poll, the feed runs a round as soon as the change sequencer of this node says it
 * stamped new entries (a {@link LongConsumer} service with {@code fieldops.signal=change-stamped},
 * registered while the feed runs). Entries stamped by another node's sequencer come with the poll.
 */
final class BoardFeed {
  private static final Logger LOG = LoggerFactory.getLogger(BoardFeed.class);
  static final long POLL_MILLIS = 10;
  static final String STAMPED_SIGNAL = "change-stamped";
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
  private final AtomicBoolean woken = new AtomicBoolean();
  private final ServiceRegistration<LongConsumer> stampedSignal;

  /** Diagnostics (system property fieldops.timing=true): when each head was stamped. */
  private final ConcurrentSkipListMap<Long, Long> stampedAt = new ConcurrentSkipListMap<>();

  private final Timing stampedToSent = new Timing("stamped -> sent");
  private final Timing changeToSent = new Timing("change -> sent");

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
    this.stampedSignal = registerSignal();
  }

  /**
   * Offers {@link #stamped} to the change sequencer of this node (not outside OSGi: tests poll).
   */
  private ServiceRegistration<LongConsumer> registerSignal() {
    Bundle bundle = FrameworkUtil.getBundle(BoardFeed.class);
    BundleContext context = bundle == null ? null : bundle.getBundleContext();
    if (context == null) {
      return null;
    }
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("fieldops.signal", STAMPED_SIGNAL);
    try {
      return context.registerService(LongConsumer.class, this::stamped, props);
    } catch (RuntimeException e) {
      LOG.debug("Board feed without stamping signal (polling only): {}", e.toString());
      return null;
    }
  }

  /**
   * The sequencer stamped entries up to {@code stampedHead}: a round as soon as the feed's thread
   * is free (several signals meanwhile make one round). Never blocks.
   */
  void stamped(long stampedHead) {
    if (Timing.ENABLED) {
      stampedAt.putIfAbsent(stampedHead, System.nanoTime());
    }
    if (streams.isEmpty() || !woken.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(this::round);
    } catch (RejectedExecutionException stopped) {
      woken.set(false);
    }
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
    if (stampedSignal != null) {
      try {
        stampedSignal.unregister();
      } catch (IllegalStateException gone) {
        // the bundle is stopping
      }
    }
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
    woken.set(false);
    try {
      if (streams.isEmpty()) {
        head = -1;
        recent.clear();
        stampedAt.clear();
        return;
      }
      if (head < 0) {
        head = changes.head();
      }
      List<JobChange> fresh = changes.after(head, PAGE);
      if (Timing.ENABLED) {
        time(fresh);
      }
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

  private void time(List<JobChange> fresh) {
    long nanos = System.nanoTime();
    java.time.Instant now = java.time.Instant.now();
    for (JobChange c : fresh) {
      Map.Entry<Long, Long> stamped = stampedAt.ceilingEntry(c.cursor());
      if (stamped != null) {
        stampedToSent.add(nanos - stamped.getValue());
      }
      changeToSent.add(java.time.Duration.between(c.at(), now).toNanos());
    }
    if (!fresh.isEmpty()) {
      stampedAt.headMap(fresh.get(fresh.size() - 1).cursor(), true).clear();
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

  /**
   * A diagnostic: durations collected for 10 s, then logged as percentiles ("freshness timing:
   * ...") and started over; only with the system property {@code fieldops.timing=true}.
   */
  static final class Timing {
    static final boolean ENABLED = Boolean.getBoolean("fieldops.timing");
    private final String name;
    private long[] samples = new long[1024];
    private int count;
    private long windowStart = System.nanoTime();

    Timing(String name) {
      this.name = name;
    }

    synchronized void add(long nanos) {
      if (count == samples.length && count < 200_000) {
        samples = java.util.Arrays.copyOf(samples, count * 2);
      }
      if (count < samples.length) {
        samples[count++] = Math.max(0, nanos);
      }
      long now = System.nanoTime();
      if (now - windowStart >= 10_000_000_000L) {
        long[] s = java.util.Arrays.copyOf(samples, count);
        java.util.Arrays.sort(s);
        LOG.info(
            "freshness timing: {} n={} p50={} p90={} p99={} max={} ms",
            name,
            s.length,
            ms(s, 50),
            ms(s, 90),
            ms(s, 99),
            ms(s, 100));
        count = 0;
        windowStart = now;
      }
    }

    private static String ms(long[] sorted, int p) {
      if (sorted.length == 0) {
        return "-";
      }
      int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return String.format("%.1f", sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6);
    }
  }
}
