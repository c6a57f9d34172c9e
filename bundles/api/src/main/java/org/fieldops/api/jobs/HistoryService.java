package org.fieldops.api.jobs;

import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What was done where: the jobs of a site or of a piece of equipment, newest first. Thread-safe.
 */
@ProviderType
public interface HistoryService {

  /**
   * @throws org.fieldops.api.NotFoundException if there is no such site
   */
  Page<HistoryEntry> siteHistory(String siteId, PageRequest page);

  /**
   * Jobs on this equipment with their checklist results and parts used.
   *
   * @throws org.fieldops.api.NotFoundException if there is no such equipment
   */
  Page<HistoryEntry> equipmentHistory(String equipmentId, PageRequest page);
}
