package org.fieldops.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote accounting API for the HTTP connector, on a free loopback port: it answers the first
 * {@code failures} requests {@code 503} and every later one {@code 201} with {@code
 * {"id":"remote-<n>"}}, and keeps each request (headers and body). One request per connection; a
 * plain socket server, so that the test needs nothing beyond the JDK's {@code java.net}.
 */
final class LedgerStub implements AutoCloseable {
  /** One request as received. */
  record Received(String requestLine, Map<String, String> headers, String body, int status) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final AtomicInteger failuresLeft;
  private final Thread acceptor;

  LedgerStub(int failures) throws IOException {
    this.failuresLeft = new AtomicInteger(failures);
    this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::serve, "ledger-stub");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/v1/invoices";
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(10_000);
        handle(s);
      } catch (SocketException closed) {
        return;
      } catch (IOException | RuntimeException e) {
        System.out.println("ledger stub: " + e);
      }
    }
  }

  private void handle(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    String requestLine = line(in);
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    boolean fail = failuresLeft.getAndDecrement() > 0;
    int status = fail ? 503 : 201;
    String answer =
        fail
            ? "{\"error\":\"try again\"}"
            : "{\"id\":\"remote-" + (received.size() + 1) + "\",\"status\":\"booked\"}";
    received.add(new Received(requestLine, headers, body, status));
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    OutputStream out = s.getOutputStream();
    out.write(
        ("HTTP/1.1 "
                + status
                + (fail ? " Service Unavailable" : " Created")
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
