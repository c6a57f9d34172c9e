package org.fieldops.api.master;

import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.osgi.annotation.versioning.ProviderType;

/** Equipment. */
@ProviderType
public interface EquipmentService extends MasterDataService<Equipment, EquipmentDraft> {
  /**
   * Equipment in creation order.
   *
   * @param siteId only this site's equipment, or all if {@code null}
   */
  Page<Equipment> list(String siteId, PageRequest page);
}
