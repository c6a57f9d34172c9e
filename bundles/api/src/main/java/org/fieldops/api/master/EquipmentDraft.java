package org.fieldops.api.master;

import java.time.LocalDate;

/** Equipment as the office enters it. {@code siteId} and {@code type} are required. */
public record EquipmentDraft(
    String siteId,
    String type,
    String make,
    String model,
    String serialNumber,
    LocalDate installedOn) {}
