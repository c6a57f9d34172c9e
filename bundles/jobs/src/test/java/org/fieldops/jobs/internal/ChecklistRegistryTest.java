package org.fieldops.jobs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fieldops.api.platform.PluginInfo;
import org.fieldops.api.platform.PluginState;
import org.fieldops.jobs.internal.ChecklistRegistry.Contributed;
import org.fieldops.spi.checklist.ChecklistContext;
import org.fieldops.spi.checklist.ChecklistItem;
import org.fieldops.spi.checklist.ChecklistProvider;
import org.fieldops.spi.checklist.ChecklistTemplate;
import org.fieldops.spi.checklist.ItemType;
import org.junit.After;
import org.junit.Test;

/**
 * The registry asks every provider in ranking order, isolates failing ones, and routes validation.
 */
public class ChecklistRegistryTest {
  static final ChecklistContext CONTEXT =
      new ChecklistContext("job-1", "hvac.maintenance", List.of("hvac.rooftop"), "customer-1");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
  private final ChecklistRegistry registry = new ChecklistRegistry(clock);

  /** Names of the providers in the order they were asked. */
  private final List<String> asked = new CopyOnWriteArrayList<>();

  @After
  public void tearDown() {
    registry.deactivate();
  }

  static ChecklistTemplate template(String id, int version) {
    return new ChecklistTemplate(
        id,
        version,
        "Template " + id,
        List.of(new ChecklistItem("done", "Done?", ItemType.YES_NO, true, null, null, null, null)));
  }

  /** A well-behaved provider returning fixed templates, recording that it was asked. */
  final class Fixed implements ChecklistProvider {
    final String name;
    final List<ChecklistTemplate> templates;
    final List<Object> validated = new CopyOnWriteArrayList<>();
    Optional<String> verdict = Optional.empty();

    Fixed(String name, ChecklistTemplate... templates) {
      this.name = name;
      this.templates = List.of(templates);
    }

    @Override
    public List<ChecklistTemplate> templatesFor(ChecklistContext context) {
      asked.add(name);
      return templates;
    }

    @Override
    public Optional<String> validate(
        ChecklistTemplate template, ChecklistItem item, Object answer) {
      validated.add(template.id() + "/" + item.id() + "=" + answer);
      return verdict;
    }
  }

  private static List<String> ids(List<Contributed> contributed) {
    List<String> out = new ArrayList<>();
    contributed.forEach(
        c -> out.add(c.template().id() + "@" + c.template().version() + " from " + c.provider()));
    return out;
  }

  @Test
  public void providersAreAskedHighestRankingFirstAndAllTheirTemplatesApply() {
    registry.add(new Fixed("low", template("c", 1)), "low", -100);
    registry.add(new Fixed("high", template("a", 1), template("b", 2)), "high", 50);
    registry.add(new Fixed("middle", template("d", 3)), "middle", 0);

    List<Contributed> out = registry.templatesFor(CONTEXT);

    assertEquals(List.of("high", "middle", "low"), asked);
    assertEquals(
        List.of("a@1 from high", "b@2 from high", "d@3 from middle", "c@1 from low"), ids(out));
  }

  @Test
  public void equalRankingsAreAskedInRegistrationOrder() {
    registry.add(new Fixed("first"), "first", 10);
    registry.add(new Fixed("second"), "second", 10);
    registry.add(new Fixed("third"), "third", 10);
    registry.templatesFor(CONTEXT);
    assertEquals(List.of("first", "second", "third"), asked);
  }

  @Test
  public void aTemplateIdFromTwoProvidersIsTakenFromTheFirstAsked() {
    registry.add(
        new Fixed("plugin", template("site-safety", 7), template("plugin-only", 1)), "plugin", 10);
    registry.add(
        new Fixed("files", template("site-safety", 1), template("pump-service", 1)), "files", -100);

    List<Contributed> out = registry.templatesFor(CONTEXT);

    assertEquals(
        List.of(
            "site-safety@7 from plugin", "plugin-only@1 from plugin", "pump-service@1 from files"),
        ids(out));
  }

  @Test
  public void noProvidersMeansNoTemplates() {
    assertEquals(List.of(), registry.templatesFor(CONTEXT));
  }

  @Test
  public void theContextReachesTheProvider() {
    List<ChecklistContext> seen = new CopyOnWriteArrayList<>();
    registry.add(
        context -> {
          seen.add(context);
          return List.of();
        },
        "spy",
        0);
    registry.templatesFor(CONTEXT);
    assertEquals(List.of(CONTEXT), seen);
  }

  @Test
  public void aThrowingProviderCountsAsNoTemplatesAndTheOthersStillContribute() {
    registry.add(new Fixed("before", template("a", 1)), "before", 20);
    registry.add(
        context -> {
          asked.add("thrower");
          throw new IllegalStateException("plugin bug");
        },
        "thrower",
        10);
    registry.add(
        context -> {
          asked.add("error");
          throw new NoClassDefFoundError("org/missing/Thing");
        },
        "error",
        5);
    registry.add(new Fixed("after", template("b", 1)), "after", 0);

    List<Contributed> out = registry.templatesFor(CONTEXT);

    assertEquals(List.of("before", "thrower", "error", "after"), asked);
    assertEquals(List.of("a@1 from before", "b@1 from after"), ids(out));
  }

  @Test
  public void aProviderReturningNullCountsAsNoTemplates() {
    registry.add(context -> null, "nuller", 10);
    registry.add(new Fixed("after", template("b", 1)), "after", 0);
    assertEquals(List.of("b@1 from after"), ids(registry.templatesFor(CONTEXT)));
  }

  @Test
  public void aProviderReturningAListWithNullCountsAsNoTemplatesAtAll() {
    // garbage from a plugin: none of its templates apply (not "the non-null ones")
    registry.add(context -> Arrays.asList(template("x", 1), null, template("y", 1)), "garbage", 10);
    registry.add(new Fixed("after", template("b", 1)), "after", 0);
    assertEquals(List.of("b@1 from after"), ids(registry.templatesFor(CONTEXT)));
  }

  /**
   * The one slow test (about 2 s): a provider that hangs past the bound and ignores interruption is
   * abandoned after 2 s, counts as no templates, and neither blocks the providers asked after it
   * nor a later dispatch.
   */
  @Test(timeout = 10_000)
  public void aHangingProviderIsAbandonedAfterTheBoundAndDoesNotStopTheOthers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    registry.add(new Fixed("before", template("a", 1)), "before", 20);
    registry.add(
        context -> {
          asked.add("hanger");
          long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(6_000);
          while (System.nanoTime() < until) { // a hang: interrupting it does not help
            try {
              if (release.await(until - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                break;
              }
            } catch (InterruptedException ignored) {
              // keeps hanging
            }
          }
          return List.of(template("late", 1));
        },
        "hanger",
        10);
    registry.add(new Fixed("after", template("b", 1)), "after", 0);

    try {
      long start = System.nanoTime();
      List<Contributed> out = registry.templatesFor(CONTEXT);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertEquals(List.of("a@1 from before", "b@1 from after"), ids(out));
      assertTrue(
          "abandoned at the 2 s bound, took " + millis + " ms",
          millis >= ChecklistRegistry.TIMEOUT_MILLIS - 50
              && millis < ChecklistRegistry.TIMEOUT_MILLIS + 1_500);
      assertEquals(List.of("before", "hanger", "after"), asked);
    } finally {
      release.countDown();
    }
  }

  // --- validate ---

  @Test
  public void validateRoutesToTheProviderThatContributedTheTemplate() {
    Fixed plugin = new Fixed("plugin", template("a", 1));
    Fixed files = new Fixed("files", template("b", 1));
    plugin.verdict = Optional.of("the plugin refuses");
    registry.add(plugin, "plugin", 10);
    registry.add(files, "files", -100);
    ChecklistTemplate b = template("b", 1);
    ChecklistItem done = b.items().get(0);

    assertEquals(Optional.empty(), registry.validate("files", b, done, Boolean.TRUE));
    assertEquals(List.of("b/done=true"), files.validated);
    assertEquals(List.of(), plugin.validated);

    ChecklistTemplate a = template("a", 1);
    assertEquals(
        Optional.of("the plugin refuses"), registry.validate("plugin", a, done, Boolean.FALSE));
    assertEquals(List.of("a/done=false"), plugin.validated);
    assertEquals(1, files.validated.size());
  }

  @Test
  public void validateOfAProviderNoLongerInstalledAccepts() {
    Fixed files = new Fixed("files");
    files.verdict = Optional.of("never asked");
    registry.add(files, "files", -100);
    ChecklistTemplate t = template("a", 1);
    assertEquals(
        Optional.empty(), registry.validate("gone-plugin", t, t.items().get(0), Boolean.TRUE));
    assertEquals(List.of(), files.validated);
  }

  @Test
  public void aThrowingOrNullValidateCountsAsAccepted() {
    registry.add(
        new ChecklistProvider() {
          @Override
          public List<ChecklistTemplate> templatesFor(ChecklistContext context) {
            return List.of();
          }

          @Override
          public Optional<String> validate(
              ChecklistTemplate template, ChecklistItem item, Object answer) {
            throw new IllegalStateException("plugin bug");
          }
        },
        "thrower",
        10);
    registry.add(
        new ChecklistProvider() {
          @Override
          public List<ChecklistTemplate> templatesFor(ChecklistContext context) {
            return List.of();
          }

          @Override
          public Optional<String> validate(
              ChecklistTemplate template, ChecklistItem item, Object answer) {
            return null;
          }
        },
        "nuller",
        0);
    ChecklistTemplate t = template("a", 1);
    assertEquals(Optional.empty(), registry.validate("thrower", t, t.items().get(0), Boolean.TRUE));
    assertEquals(Optional.empty(), registry.validate("nuller", t, t.items().get(0), Boolean.TRUE));
  }

  @Test
  public void theDefaultValidateAccepts() {
    registry.add(context -> List.of(), "lambda", 0);
    ChecklistTemplate t = template("a", 1);
    assertEquals(Optional.empty(), registry.validate("lambda", t, t.items().get(0), Boolean.TRUE));
  }

  // --- isolation: state and circuit breaker ---

  private PluginInfo info(String name) {
    return registry.plugins().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  public void theListingShowsEveryProviderInOrderAndAFailingOneWithItsLastError() {
    registry.add(new Fixed("files"), "files", -100);
    registry.add(
        context -> {
          throw new IllegalStateException("plugin bug");
        },
        "thrower",
        10);
    assertEquals(
        List.of("thrower", "files"), registry.plugins().stream().map(PluginInfo::name).toList());
    assertEquals(PluginState.ACTIVE, info("thrower").state());

    registry.templatesFor(CONTEXT);

    PluginInfo thrower = info("thrower");
    assertEquals(PluginState.FAILING, thrower.state());
    assertTrue(thrower.lastError(), thrower.lastError().contains("plugin bug"));
    assertEquals(clock.instant(), thrower.lastErrorAt());
    assertEquals(1, thrower.consecutiveFailures());
    assertEquals(PluginState.ACTIVE, info("files").state());
  }

  @Test
  public void garbageCountsAsAFailure() {
    registry.add(context -> null, "nuller", 10);
    registry.templatesFor(CONTEXT);
    assertEquals(PluginState.FAILING, info("nuller").state());
    assertTrue(info("nuller").lastError().contains("null"));
  }

  @Test
  public void afterFiveFailuresInARowAProviderIsSkippedForAMinuteThenTriedAgain() {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger failUntil = new AtomicInteger(1_000);
    registry.add(
        context -> {
          if (calls.incrementAndGet() <= failUntil.get()) {
            throw new IllegalStateException("down");
          }
          return List.of(template("back", 1));
        },
        "flaky",
        0);
    for (int i = 0; i < 8; i++) {
      assertEquals(List.of(), registry.templatesFor(CONTEXT));
    }
    assertEquals("skipped once open", 5, calls.get());
    assertTrue(info("flaky").openUntil() != null);
    assertEquals(PluginState.FAILING, info("flaky").state());

    clock.advance(Duration.ofSeconds(61));
    failUntil.set(0);
    assertEquals(List.of("back@1 from flaky"), ids(registry.templatesFor(CONTEXT)));
    PluginInfo back = info("flaky");
    assertEquals(PluginState.ACTIVE, back.state());
    assertEquals(0, back.consecutiveFailures());
    assertEquals(null, back.openUntil());
    assertTrue("the last error stays on record", back.lastError().contains("down"));
  }
}
