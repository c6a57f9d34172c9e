package org.fieldops.api.platform;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The plugins one core bundle consumes, and how they are doing. Each core bundle that calls an SPI
 * registers one service of this type (jobs: checklist providers; sync: conflict policies; billing:
 * accounting connectors); {@code GET /plugins} lists them all. Implemented by the platform only.
 */
@ProviderType
public interface PluginStatus {

  /** The SPI whose implementations this service reports. */
  PluginKind kind();

  /**
   * The installed implementations, in the order the platform asks them (highest {@code
   * service.ranking} first, then lowest service id). Built-in implementations are included (the
   * file-based checklist provider, the default conflict policy). Cheap; never throws.
   */
  List<PluginInfo> plugins();
}
