package org.fieldops.itests;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of the server that can cut one connection on purpose. By default it passes
 * bytes both ways. {@link #cutNext} makes the next accepted connection one of:
 *
 * <ul>
 *   <li>{@link Cut#AFTER_ANSWER}: the whole request goes to the server, the server's whole response
 *       is read (it arrives only after the server committed every outcome) and withheld, then both
 *       sockets are closed: the client never sees a byte of it. The withheld response is kept for
 *       the test ({@link #withheld}).
 *   <li>{@link Cut#MID_REQUEST}: the request head and half its body go to the server, then both
 *       sockets are closed: the server never gets the whole request.
 * </ul>
 */
final class CuttingProxy implements AutoCloseable {
  enum Cut {
    NONE,
    AFTER_ANSWER,
    MID_REQUEST
  }

  /** A response the client did not get: status line and (de-chunked) body. */
  record Withheld(String statusLine, String body) {}

  private final ServerSocket listener;
  private final int targetPort;
  private final AtomicReference<Cut> next = new AtomicReference<>(Cut.NONE);
  private final AtomicInteger connections = new AtomicInteger();
  private final BlockingQueue<Withheld> withheld = new LinkedBlockingQueue<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "cutting-proxy");
            t.setDaemon(true);
            return t;
          });

  CuttingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  String api() {
    return "http://127.0.0.1:" + listener.getLocalPort() + "/api/v1";
  }

  /** The next connection accepted is cut this way; later ones pass again. */
  void cutNext(Cut cut) {
    next.set(cut);
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  /** The response of the last {@link Cut#AFTER_ANSWER} cut, waiting up to 60 s for it. */
  Withheld withheld() throws InterruptedException {
    Withheld w = withheld.poll(60, TimeUnit.SECONDS);
    if (w == null) {
      throw new AssertionError("the proxy withheld no response");
    }
    return w;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        connections.incrementAndGet();
        Cut cut = next.getAndSet(Cut.NONE);
        threads.execute(() -> serve(client, cut));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client, Cut cut) {
    try (client;
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
      open.add(client);
      open.add(server);
      server.setSoTimeout(120_000); // a server that never answers fails the test, not hangs it
      InputStream fromClient = client.getInputStream();
      OutputStream toServer = server.getOutputStream();
      switch (cut) {
        case NONE -> {
          threads.execute(() -> pipe(fromClient, toServer, server));
          pipe(server.getInputStream(), client.getOutputStream(), client);
        }
        case AFTER_ANSWER -> {
          threads.execute(() -> pipe(fromClient, toServer, server));
          withheld.add(readResponse(server.getInputStream()));
          client.setSoLinger(true, 0); // reset, not a clean end: the client sees a broken stream
        }
        case MID_REQUEST -> {
          byte[] head = readHead(fromClient);
          int length = contentLength(new String(head, StandardCharsets.ISO_8859_1));
          toServer.write(head);
          toServer.write(fromClient.readNBytes(Math.max(0, length / 2)));
          toServer.flush();
          client.setSoLinger(true, 0);
        }
      }
    } catch (IOException e) {
      // a side went away: the connection ends
    } finally {
      open.remove(client);
      open.removeIf(Socket::isClosed);
    }
  }

  private static void pipe(InputStream in, OutputStream out, Socket to) {
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // the other side closed
    }
  }

  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside the HTTP head");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }

  /** Reads one whole HTTP/1.1 response (Content-Length or chunked). */
  private static Withheld readResponse(InputStream in) throws IOException {
    String head = new String(readHead(in), StandardCharsets.ISO_8859_1);
    String statusLine = head.substring(0, head.indexOf("\r\n"));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
      while (true) {
        String size = new String(readLine(in), StandardCharsets.ISO_8859_1).trim();
        int n = Integer.parseInt(size.split(";")[0], 16);
        if (n == 0) {
          readLine(in); // the (empty) trailer
          break;
        }
        body.write(in.readNBytes(n));
        readLine(in);
      }
    } else {
      body.write(in.readNBytes(contentLength(head)));
    }
    return new Withheld(statusLine, body.toString(StandardCharsets.UTF_8));
  }

  private static byte[] readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new EOFException("connection closed inside a chunked body");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toByteArray();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (SocketException ignored) {
        // already closed
      }
    }
    threads.shutdownNow();
  }
}
