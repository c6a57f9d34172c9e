package org.fieldops.api.sync;

import java.util.List;
import org.fieldops.api.pricebook.FlatRateTask;
import org.fieldops.api.pricebook.LaborRate;
import org.fieldops.api.pricebook.Part;

/** The price book entries a technician may use (inactive ones marked, so a delta can drop them). */
public record PacketPriceBook(
    List<LaborRate> laborRates, List<Part> parts, List<FlatRateTask> flatRateTasks) {
  public PacketPriceBook {
    laborRates = List.copyOf(laborRates);
    parts = List.copyOf(parts);
    flatRateTasks = List.copyOf(flatRateTasks);
  }
}
