package org.fieldops.api.master;

/** A site as the office enters it. {@code customerId} and {@code address} are required. */
public record SiteDraft(
    String customerId, String address, Double latitude, Double longitude, String accessNotes) {}
