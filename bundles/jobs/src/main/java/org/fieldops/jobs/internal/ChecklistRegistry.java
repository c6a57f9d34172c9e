package org.fieldops.jobs.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fieldops.spi.checklist.ChecklistContext;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ChecklistProvider;
import org.fieldops.spi.checklist.ChecklistTemplate;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The installed {@link ChecklistProvider}s, picked up and dropped at runtime, asked in ranking
 * order on a bounded pool with a time bound; a failing provider counts as "no templates" and is
 * logged with its bundle.
 */
@Component(service = ChecklistRegistry.class)
public class ChecklistRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ChecklistRegistry.class);
  static final long TIMEOUT_MILLIS = 2_000;

  /** A template and the bundle that contributed it. */
  record Contributed(ChecklistTemplate template, String provider) {}

  /** A provider's place in the order: highest ranking first, then lowest service id. */
  record Key(int ranking, long serviceId, String name) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int byRanking = Integer.compare(o.ranking, ranking);
      return byRanking != 0 ? byRanking : Long.compare(serviceId, o.serviceId);
    }

    static Key of(ServiceReference<?> ref) {
      Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
      Object id = ref.getProperty(Constants.SERVICE_ID);
      return new Key(
          ranking instanceof Integer r ? r : 0,
          id instanceof Long l ? l : 0L,
          ChecklistRegistry.name(ref));
    }
  }

  private record Entry(Key key, ChecklistProvider provider) {}

  private final Map<Key, ChecklistProvider> providers = new ConcurrentSkipListMap<>();

  /**
   * Four threads, not one: a ThreadPoolExecutor grows past its core size only when its queue is
   * full, so with a core of one a single hung provider (one that ignores interruption) would hold
   * the only thread and every other provider would time out behind it.
   */
  private final ThreadPoolExecutor pool =
      new ThreadPoolExecutor(
          4,
          4,
          30,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(64),
          r -> {
            Thread t = new Thread(r, "fieldops-checklist-provider");
            t.setDaemon(true);
            return t;
          });

  {
    pool.allowCoreThreadTimeOut(true);
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addProvider(ChecklistProvider provider, ServiceReference<ChecklistProvider> ref) {
    providers.put(Key.of(ref), provider);
  }

  void removeProvider(ChecklistProvider provider, ServiceReference<ChecklistProvider> ref) {
    providers.remove(Key.of(ref));
  }

  @Deactivate
  void deactivate() {
    pool.shutdownNow();
  }

  /** DS needs a public no-argument constructor (providers arrive through the bind method). */
  public ChecklistRegistry() {}

  /** Every provider's templates for the job, first contributor wins per template id. */
  List<Contributed> templatesFor(ChecklistContext context) {
    Map<String, Contributed> out = new LinkedHashMap<>();
    for (Entry e : entries()) {
      for (ChecklistTemplate t : ask(e, context)) {
        out.putIfAbsent(t.id(), new Contributed(t, e.key().name()));
      }
    }
    return new ArrayList<>(out.values());
  }

  /**
   * A provider's own check of an answer, if that provider is still installed and answers in time.
   */
  Optional<String> validate(
      String providerName, ChecklistTemplate template, ChecklistItem item, Object answer) {
    for (Entry e : entries()) {
      if (e.key().name().equals(providerName)) {
        try {
          Future<Optional<String>> f =
              pool.submit(() -> e.provider().validate(template, item, answer));
          Optional<String> verdict = f.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
          return verdict == null ? Optional.empty() : verdict;
        } catch (Exception failure) {
          LOG.warn(
              "Checklist provider of bundle {} failed to validate an answer: {}",
              providerName,
              failure.toString());
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private List<Entry> entries() {
    List<Entry> list = new ArrayList<>();
    providers.forEach((key, p) -> list.add(new Entry(key, p)));
    return list;
  }

  private List<ChecklistTemplate> ask(Entry e, ChecklistContext context) {
    Future<List<ChecklistTemplate>> f = null;
    try {
      f = pool.submit(() -> e.provider().templatesFor(context));
      List<ChecklistTemplate> templates = f.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      if (templates == null) {
        LOG.warn(
            "Checklist provider of bundle {} returned null; counted as no templates",
            e.key().name());
        return List.of();
      }
      List<ChecklistTemplate> copy = new ArrayList<>(templates);
      if (copy.stream().anyMatch(java.util.Objects::isNull)) {
        LOG.warn(
            "Checklist provider of bundle {} returned a null template; counted as no templates",
            e.key().name());
        return List.of();
      }
      return copy;
    } catch (TimeoutException slow) {
      f.cancel(true);
      LOG.warn(
          "Checklist provider of bundle {} took over {} ms; counted as no templates",
          e.key().name(),
          TIMEOUT_MILLIS);
    } catch (Exception failure) {
      LOG.warn(
          "Checklist provider of bundle {} failed; counted as no templates: {}",
          e.key().name(),
          failure.toString());
    }
    return List.of();
  }

  static String name(ServiceReference<?> ref) {
    if (ref == null || ref.getBundle() == null) {
      return "unknown";
    }
    Object pid = ref.getProperty(Constants.SERVICE_PID);
    return ref.getBundle().getSymbolicName() + (pid == null ? "" : "/" + pid);
  }

  /** Registers a provider without OSGi (tests); a higher ranking is asked first. */
  void add(ChecklistProvider provider, String name, int ranking) {
    providers.put(new Key(ranking, providers.size() + 1L, name), provider);
  }
}
