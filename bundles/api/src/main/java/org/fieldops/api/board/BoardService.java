package org.fieldops.api.board;

import java.time.LocalDate;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Builds the dispatch board of one day for the office. Read-only and thread-safe; its cost grows
 * with the day's jobs and the number of technicians, not with the database.
 */
@ProviderType
public interface BoardService {

  /**
   * The board of {@code date} (a day in the business time zone): every active technician (and any
   * inactive one who has a job that day) with the day's jobs in slot order, their last sync, the
   * stale flag and the counts of open reviews and open rejections; and the jobs without a
   * technician (the day's, plus open ones that have no window at all).
   *
   * <p>{@link Board#cursor()} is the change log's head read <em>before</em> the jobs: a client that
   * follows the change stream from it misses no change made after the board was read.
   */
  Board board(LocalDate date);
}
