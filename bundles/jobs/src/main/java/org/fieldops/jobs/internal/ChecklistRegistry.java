package org.fieldops.jobs.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fieldops.api.platform.PluginInfo;
import org.fieldops.api.platform.PluginKind;
import org.fieldops.api.platform.PluginStatus;
import org.fieldops.spi.checklist.ChecklistContext;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ChecklistProvider;
import org.fieldops.spi.checklist.ChecklistTemplate;
import org.fieldops.store.support.GuardedPlugin;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The installed {@link ChecklistProvider}s, picked up and dropped at runtime, asked in ranking
 * order, each on its own bounded pool with a time bound and a circuit breaker ({@link
 * GuardedPlugin}); a failing provider counts as "no templates, nothing required" and is logged with
 * its bundle and shown FAILING in {@code GET /plugins}.
 */
@Component(service = {ChecklistRegistry.class, PluginStatus.class})
public class ChecklistRegistry implements PluginStatus {
  static final long TIMEOUT_MILLIS = 2_000;
  static final GuardedPlugin.Guard GUARD =
      new GuardedPlugin.Guard(
          PluginKind.CHECKLIST_PROVIDER,
          "no templates",
          Duration.ofMillis(TIMEOUT_MILLIS),
          5,
          Duration.ofSeconds(60),
          2,
          16);

  /** A template and the provider (by name) that contributed it. */
  record Contributed(ChecklistTemplate template, String provider) {}

  /** By service: a provider re-registered under the same name is a new entry. */
  private final Map<Object, GuardedPlugin<ChecklistProvider>> providers = new ConcurrentHashMap<>();

  private final Clock clock;
  private long added;

  /** DS needs a public no-argument constructor (providers arrive through the bind method). */
  public ChecklistRegistry() {
    this(Clock.systemUTC());
  }

  ChecklistRegistry(Clock clock) {
    this.clock = clock;
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addProvider(ChecklistProvider provider, ServiceReference<ChecklistProvider> ref) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (String key : ref.getPropertyKeys()) {
      props.put(key, ref.getProperty(key));
    }
    providers.put(
        ref.getProperty(Constants.SERVICE_ID),
        new GuardedPlugin<>(provider, name(ref), ref.getBundle(), props, GUARD, clock));
  }

  void removeProvider(ChecklistProvider provider, ServiceReference<ChecklistProvider> ref) {
    GuardedPlugin<ChecklistProvider> gone = providers.remove(ref.getProperty(Constants.SERVICE_ID));
    if (gone != null) {
      gone.close();
    }
  }

  @Deactivate
  void deactivate() {
    providers.values().forEach(GuardedPlugin::close);
    providers.clear();
  }

  @Override
  public PluginKind kind() {
    return PluginKind.CHECKLIST_PROVIDER;
  }

  @Override
  public List<PluginInfo> plugins() {
    return ordered().stream().map(GuardedPlugin::info).toList();
  }

  /** Every provider's templates for the job, first contributor wins per template id. */
  List<Contributed> templatesFor(ChecklistContext context) {
    Map<String, Contributed> out = new LinkedHashMap<>();
    for (GuardedPlugin<ChecklistProvider> p : ordered()) {
      for (ChecklistTemplate t : ask(p, context)) {
        out.putIfAbsent(t.id(), new Contributed(t, p.name()));
      }
    }
    return new ArrayList<>(out.values());
  }

  /**
   * A provider's own check of an answer, if that provider is still installed and answers in time; a
   * failing provider accepts.
   */
  Optional<String> validate(
      String providerName, ChecklistTemplate template, ChecklistItem item, Object answer) {
    for (GuardedPlugin<ChecklistProvider> p : ordered()) {
      if (p.name().equals(providerName)) {
        GuardedPlugin.Call<Optional<String>> verdict =
            p.call(provider -> provider.validate(template, item, answer));
        return verdict.ok() && verdict.value() != null ? verdict.value() : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private List<GuardedPlugin<ChecklistProvider>> ordered() {
    List<GuardedPlugin<ChecklistProvider>> list = new ArrayList<>(providers.values());
    list.sort(GuardedPlugin.ORDER);
    return list;
  }

  private static List<ChecklistTemplate> ask(
      GuardedPlugin<ChecklistProvider> p, ChecklistContext context) {
    GuardedPlugin.Call<List<ChecklistTemplate>> call =
        p.call(provider -> provider.templatesFor(context));
    if (!call.ok()) {
      return List.of();
    }
    if (call.value() == null) {
      p.reject("returned null instead of a list of templates");
      return List.of();
    }
    List<ChecklistTemplate> copy = new ArrayList<>(call.value());
    if (copy.stream().anyMatch(Objects::isNull)) {
      p.reject("returned a null template");
      return List.of();
    }
    return copy;
  }

  static String name(ServiceReference<?> ref) {
    if (ref == null || ref.getBundle() == null) {
      return "unknown";
    }
    Object pid = ref.getProperty(Constants.SERVICE_PID);
    return ref.getBundle().getSymbolicName() + (pid == null ? "" : "/" + pid);
  }

  /** Registers a provider without OSGi (tests); a higher ranking is asked first. */
  synchronized void add(ChecklistProvider provider, String name, int ranking) {
    long id = ++added;
    providers.put(
        "test-" + id,
        new GuardedPlugin<>(
            provider,
            name,
            null,
            Map.of(Constants.SERVICE_RANKING, ranking, Constants.SERVICE_ID, id),
            GUARD,
            clock));
  }
}
