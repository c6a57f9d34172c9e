package org.fieldops.api.master;

import java.util.Optional;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.osgi.annotation.versioning.ProviderType;

/** Technicians. A username is linked to at most one technician. */
@ProviderType
public interface TechnicianService extends MasterDataService<Technician, TechnicianDraft> {
  /** Technicians in creation order. */
  Page<Technician> list(PageRequest page);

  /** The technician linked to this login, if any. */
  Optional<Technician> findByUsername(String username);
}
