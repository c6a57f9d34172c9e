package org.fieldops.api.pricebook;

import java.util.Map;
import java.util.Optional;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The price book. Codes and SKUs are unique within their kind and never change; prices change by
 * versioned merge patch ({@code name}, the price, {@code currency}, {@code active}). An inactive
 * entry stays readable (old lines refer to it) but new lines cannot use it. Thread-safe.
 */
@ProviderType
public interface PriceBookService {

  /**
   * @throws org.fieldops.api.StateConflictException if the code exists
   */
  LaborRate createLaborRate(LaborRateDraft draft, Caller caller);

  /**
   * @throws org.fieldops.api.NotFoundException
   */
  LaborRate laborRate(String code);

  Page<LaborRate> laborRates(PageRequest page);

  LaborRate updateLaborRate(
      String code, long expectedVersion, Map<String, Object> patch, Caller caller);

  /**
   * @throws org.fieldops.api.StateConflictException if the SKU exists
   */
  Part createPart(PartDraft draft, Caller caller);

  /**
   * @throws org.fieldops.api.NotFoundException
   */
  Part part(String sku);

  Page<Part> parts(PageRequest page);

  Part updatePart(String sku, long expectedVersion, Map<String, Object> patch, Caller caller);

  /**
   * @throws org.fieldops.api.StateConflictException if the code exists
   */
  FlatRateTask createFlatRateTask(FlatRateTaskDraft draft, Caller caller);

  /**
   * @throws org.fieldops.api.NotFoundException
   */
  FlatRateTask flatRateTask(String code);

  Page<FlatRateTask> flatRateTasks(PageRequest page);

  FlatRateTask updateFlatRateTask(
      String code, long expectedVersion, Map<String, Object> patch, Caller caller);

  /** The active labor rate with this code, if any (for validating and pricing lines). */
  Optional<LaborRate> activeLaborRate(String code);

  /** The active part with this SKU, if any. */
  Optional<Part> activePart(String sku);

  /** The active flat-rate task with this code, if any. */
  Optional<FlatRateTask> activeFlatRateTask(String code);
}
