package org.fieldops.api.sync;

import java.time.LocalDate;
import java.util.function.Consumer;
import org.fieldops.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Technicians' job packets and their deltas, read from the change log: a delta never misses a
 * change and its cost follows the technician's packet, not the database.
 */
@ProviderType
public interface PacketService {
  /** The most days a packet may cover. */
  int MAX_DAYS = 7;

  /**
   * The full packet for today and the next {@code days - 1} days of the caller (a technician).
   *
   * @throws org.fieldops.api.ValidationException for {@code days} out of 1..7
   * @throws org.fieldops.api.AccessDeniedException if the caller is not an active technician
   */
  Packet full(int days, Caller caller);

  /**
   * What changed for the caller after {@code cursor}, in the cursor's window.
   *
   * @throws org.fieldops.api.ValidationException naming {@code since} for a cursor this server did
   *     not issue
   */
  Packet delta(String cursor, Caller caller);

  /**
   * Builds and stores the packet of {@code day} (one day) for every active technician, served to
   * the first request of that day when nothing changed for the technician since. Safe to run again
   * and on several nodes.
   *
   * @param progress told after each technician
   */
  PrimeReport prime(LocalDate day, Consumer<PrimeReport> progress);

  /** Priming progress or result. */
  record PrimeReport(LocalDate day, int technicians, int done, int jobs, long millis) {}
}
