package org.fieldops.api.sync;

import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** The office review queue of conflicts that no policy decided. */
@ProviderType
public interface ReviewService {

  /**
   * Reviews, oldest first.
   *
   * @param status {@code OPEN}, {@code RESOLVED} or {@code null} for all
   */
  Page<Review> list(String status, PageRequest page);

  /**
   * @throws org.fieldops.api.NotFoundException
   */
  Review get(String id);

  /**
   * Resolves an open review: applies the chosen value with a new version of the site, equipment or
   * job, audited, and records a change on the job so the technician's next delta shows the result.
   *
   * @throws org.fieldops.api.ValidationException for a bad {@code choose} or {@code value}
   * @throws org.fieldops.api.StateConflictException if already resolved, or the device's status
   *     move is no longer possible
   */
  Review resolve(String id, ReviewResolution resolution, Caller caller);
}
