package org.fieldops.client.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.fieldops.client.ClientListener;

/**
 * The app's listeners, each call guarded: a listener that throws is logged, the others still run.
 */
final class Listeners {
  private static final System.Logger LOG = System.getLogger("org.fieldops.client");
  private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();

  void add(ClientListener l) {
    listeners.add(java.util.Objects.requireNonNull(l, "listener"));
  }

  void remove(ClientListener l) {
    listeners.remove(l);
  }

  boolean isEmpty() {
    return listeners.isEmpty();
  }

  void each(String what, Consumer<ClientListener> call) {
    for (ClientListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError vm) {
          throw vm;
        }
        LOG.log(Level.WARNING, "listener " + l + " failed in " + what, e);
      }
    }
  }
}
