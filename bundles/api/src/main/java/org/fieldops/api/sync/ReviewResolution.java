package org.fieldops.api.sync;

/**
 * The office's decision on a review.
 *
 * @param choose {@code SERVER} (keep what the server has), {@code DEVICE} (apply the device's value
 *     or status move) or {@code VALUE} (store {@code value}; FIELD reviews only)
 * @param value for VALUE
 */
public record ReviewResolution(String choose, String value) {}
