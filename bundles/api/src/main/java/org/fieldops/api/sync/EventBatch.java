package org.fieldops.api.sync;

import java.util.List;

/** An upload: the device and its events (at most 500). */
public record EventBatch(String deviceId, List<FieldEvent> events) {}
