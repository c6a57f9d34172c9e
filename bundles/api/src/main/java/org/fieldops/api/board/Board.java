package org.fieldops.api.board;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One day of the dispatch board.
 *
 * @param zone the business time zone the day is in
 * @param dayStart the day's first instant (midnight in the business time zone)
 * @param dayEnd the next day's first instant
 * @param cursor the change log's head when the board was read: follow the change stream from here
 * @param staleAfterMinutes a technician whose last upload is older than this (or who never
 *     uploaded) is {@code stale}
 * @param technicians one row per technician, by name
 * @param unassigned jobs without a technician: the day's, and open ones without a window
 */
public record Board(
    LocalDate date,
    String zone,
    Instant dayStart,
    Instant dayEnd,
    long cursor,
    Instant generatedAt,
    int staleAfterMinutes,
    List<BoardTechnician> technicians,
    List<BoardJob> unassigned) {
  public Board {
    technicians = List.copyOf(technicians);
    unassigned = List.copyOf(unassigned);
  }
}
