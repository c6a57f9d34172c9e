package org.fieldops.api.platform;

import org.osgi.annotation.versioning.ProviderType;

/** Reports the server's health; cheap enough to be polled by a load balancer. */
@ProviderType
public interface HealthService {
  /** Checks the database (bounded to a few seconds) and reports. Never throws. */
  Health check();
}
