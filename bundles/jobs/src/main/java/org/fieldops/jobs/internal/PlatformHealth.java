package org.fieldops.jobs.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;
import org.fieldops.api.platform.Health;
import org.fieldops.api.platform.HealthService;
import org.fieldops.store.Database;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Health for {@code GET /health}: the database answers within 3 s, and a fingerprint of the plugin
 * set (every active bundle that imports a FieldOps SPI package, by symbolic name and version) so
 * that operators see when nodes differ.
 */
@Component(service = HealthService.class)
public class PlatformHealth implements HealthService {
  /** Core bundles consume the SPIs too; they are not plugins. */
  static final java.util.Set<String> CORE =
      java.util.Set.of(
          "org.fieldops.api",
          "org.fieldops.store",
          "org.fieldops.jobs",
          "org.fieldops.sync",
          "org.fieldops.billing",
          "org.fieldops.rest",
          "org.fieldops.web",
          "org.fieldops.demo");

  private final Database db;
  private final BundleContext context;

  @Activate
  public PlatformHealth(@Reference Database db, BundleContext context) {
    this.db = db;
    this.context = context;
  }

  @Override
  public Health check() {
    boolean up = db.isReachable(3);
    String version = context.getBundle().getVersion().toString();
    return new Health(up ? "UP" : "DOWN", up ? "UP" : "DOWN", version, pluginFingerprint());
  }

  private String pluginFingerprint() {
    TreeSet<String> plugins = new TreeSet<>();
    for (Bundle b : context.getBundles()) {
      String imports = b.getHeaders("").get("Import-Package");
      if (b.getState() == Bundle.ACTIVE
          && imports != null
          && imports.contains("org.fieldops.spi.")
          && !CORE.contains(b.getSymbolicName())) {
        plugins.add(b.getSymbolicName() + ":" + b.getVersion());
      }
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest(String.join("\n", plugins).getBytes(StandardCharsets.UTF_8));
      return plugins.size() + ":" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
