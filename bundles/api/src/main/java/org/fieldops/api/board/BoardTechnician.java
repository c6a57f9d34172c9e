package org.fieldops.api.board;

import java.time.Instant;
import java.util.List;

/**
 * A technician's row on the board.
 *
 * @param username the linked login, or {@code null}
 * @param lastSyncAt the last upload of any of the technician's devices (server clock), or {@code
 *     null} if none ever
 * @param stale no upload within the board's stale threshold
 * @param openReviews the technician's uploads held for office review, not resolved yet
 * @param openRejections the technician's rejected uploads the office has not acknowledged
 * @param jobs the day's jobs, by slot start
 */
public record BoardTechnician(
    String id,
    String name,
    String username,
    boolean active,
    List<String> skills,
    Instant lastSyncAt,
    boolean stale,
    long openReviews,
    long openRejections,
    List<BoardJob> jobs) {
  public BoardTechnician {
    skills = List.copyOf(skills);
    jobs = List.copyOf(jobs);
  }
}
