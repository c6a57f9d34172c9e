package org.fieldops.client.simulator;

import java.io.IOException;
import org.fieldops.client.Transport;
import org.fieldops.client.TransportRequest;
import org.fieldops.client.TransportResponse;

/** The network as the simulator's phone sees it: a transport that can be switched off. */
final class SwitchableTransport implements Transport {
  private final Transport online;
  private volatile boolean on;

  SwitchableTransport(Transport online, boolean on) {
    this.online = online;
    this.on = on;
  }

  void on(boolean on) {
    this.on = on;
  }

  boolean on() {
    return on;
  }

  @Override
  public TransportResponse exchange(TransportRequest request) throws IOException {
    if (!on) {
      throw new IOException("network off (simulated)");
    }
    return online.exchange(request);
  }
}
