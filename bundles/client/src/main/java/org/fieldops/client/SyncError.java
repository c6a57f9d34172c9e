package org.fieldops.client;

import java.time.Instant;

/**
 * Why a sync (or a packet download) did not complete.
 *
 * @param kind what went wrong
 * @param httpStatus the HTTP status, or 0 without an answer
 * @param message what happened, for the app's log or a support screen
 * @param retryable {@code true} when trying again later can succeed without changing anything
 *     (network, server errors, rate limits); {@code false} when the app or its set-up must change
 *     (credentials, a device id owned by another user, a request the server refuses)
 * @param retryAfterSeconds the server's {@code Retry-After}, or {@code null}
 * @param at when it happened (device clock)
 */
public record SyncError(
    Kind kind,
    int httpStatus,
    String message,
    boolean retryable,
    Integer retryAfterSeconds,
    Instant at) {

  /** The kind of failure. */
  public enum Kind {
    /** No answer: offline, connection refused or cut, timeout. Retryable. */
    NETWORK,
    /** A 5xx answer (503 when the server is busy). Retryable. */
    SERVER,
    /** 429: too many requests. Retryable after {@code retryAfterSeconds}. */
    RATE_LIMITED,
    /** 401: wrong user name or password. */
    UNAUTHORIZED,
    /**
     * 403: not a technician linked to an active technician record, or the device id belongs to
     * another user (the office can release it).
     */
    FORBIDDEN,
    /** Another 4xx: the request is wrong (an app or SDK bug). */
    REFUSED,
    /** An answer the client cannot understand (not the expected JSON, missing results). */
    PROTOCOL,
    /** The local store failed (disk full, I/O error). */
    STORAGE,
    /** No packet cached and none can be downloaded (offline before the first download). */
    NO_PACKET
  }
}
