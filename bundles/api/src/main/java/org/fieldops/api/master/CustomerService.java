package org.fieldops.api.master;

import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.osgi.annotation.versioning.ProviderType;

/** Customers. */
@ProviderType
public interface CustomerService extends MasterDataService<Customer, CustomerDraft> {
  /** Customers in creation order. */
  Page<Customer> list(PageRequest page);
}
