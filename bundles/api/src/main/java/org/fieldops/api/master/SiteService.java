package org.fieldops.api.master;

import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.osgi.annotation.versioning.ProviderType;

/** Sites. A site's customer is fixed at creation. */
@ProviderType
public interface SiteService extends MasterDataService<Site, SiteDraft> {
  /**
   * Sites in creation order.
   *
   * @param customerId only this customer's sites, or all if {@code null}
   */
  Page<Site> list(String customerId, PageRequest page);
}
