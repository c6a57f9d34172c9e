package org.fieldops.api.master;

import java.util.List;

/**
 * A technician as the office enters it. {@code name} is required; {@code active} defaults to true.
 */
public record TechnicianDraft(String name, String username, List<String> skills, Boolean active) {}
