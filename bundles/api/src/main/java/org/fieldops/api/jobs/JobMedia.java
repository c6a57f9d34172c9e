package org.fieldops.api.jobs;

import java.time.Instant;

/**
 * A photo, signature or checklist photo a job uses (download it at {@code /media/{sha256}}).
 *
 * @param kind {@code photo}, {@code signature} or {@code checklist}
 * @param caption the photo's caption, or for a signature the signer's name
 */
public record JobMedia(
    String sha256, String kind, String caption, String addedBy, Instant addedAt) {}
