package org.fieldops.client;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * How the client reaches the server: one HTTP exchange. The default is {@link HttpClientTransport};
 * an Android app plugs its own (OkHttp, Cronet, ...) by implementing this one method.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@code request.path()} is relative to the API's base address ({@code
 *       http://HOST:8181/api/v1}), e.g. {@code /me/packet?days=1}; the transport prepends the base
 *       and adds authentication (HTTP Basic in v1).
 *   <li>Any HTTP answer, whatever its status, is returned as a {@link TransportResponse}: the
 *       client decides what a 4xx or 5xx means.
 *   <li>No answer at all (connection refused or cut, timeout, DNS failure, TLS failure) is an
 *       {@link IOException}. The client then treats the request as possibly processed and sends it
 *       again later, unchanged: the server applies every event once.
 *   <li>Called from the client's sync thread (one call at a time per client); never from the thread
 *       that records changes. It may block; it should time out (the default gives up after 60 s).
 *   <li>An interrupted call should throw {@link java.io.InterruptedIOException} (or restore the
 *       interrupt flag and throw an {@link IOException}).
 * </ul>
 */
@ConsumerType
public interface Transport {

  /**
   * Sends one request and returns the server's answer.
   *
   * @throws IOException when no HTTP answer was received
   */
  TransportResponse exchange(TransportRequest request) throws IOException;
}
