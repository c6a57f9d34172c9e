package org.fieldops.api.jobs;

/** A flat-rate task ordered on a job: a price-book code and how many. */
public record FlatRateTaskRef(String code, Integer quantity) {}
