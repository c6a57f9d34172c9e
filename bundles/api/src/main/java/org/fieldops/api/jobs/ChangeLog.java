package org.fieldops.api.jobs;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The global change log of jobs, which packets, deltas and the live board read. Every change of a
 * job (office or field) appends one entry in the same transaction as the change; entries become
 * visible with consecutive cursors shortly after they commit (a single sequencer stamps them), so
 * reading "after cursor N" never skips an entry, however the writers' commits interleave, on one
 * node or many. Thread-safe.
 */
@ProviderType
public interface ChangeLog {

  /** Up to {@code limit} entries with a cursor greater than {@code cursor}, in cursor order. */
  List<JobChange> after(long cursor, int limit);

  /** The highest cursor stamped so far (0 when the log is empty). */
  long head();
}
