package org.fieldops.jobs.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.pricebook.FlatRateTask;
import org.fieldops.api.pricebook.FlatRateTaskDraft;
import org.fieldops.api.pricebook.LaborRate;
import org.fieldops.api.pricebook.LaborRateDraft;
import org.fieldops.api.pricebook.Part;
import org.fieldops.api.pricebook.PartDraft;
import org.fieldops.api.pricebook.PriceBookService;
import org.fieldops.api.security.Caller;
import org.fieldops.store.ConcurrentUpdateException;
import org.fieldops.store.Database;
import org.fieldops.store.PriceEntity;
import org.fieldops.store.support.Checks;
import org.fieldops.store.support.JsonSupport;
import org.fieldops.store.support.MergePatch;
import org.fieldops.store.support.Paging;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The price book in one table, one row per (kind, code). Money is BigDecimal with at most 4 decimal
 * places, never negative, with an ISO 4217 currency.
 */
@Component(service = PriceBookService.class)
public class PriceBookServiceImpl implements PriceBookService {
  static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final String LABOR = "LABOR";
  static final String PART = "PART";
  static final String TASK = "FLAT_RATE";

  /** The draft shape every kind is patched through (names differ per kind at the API edge). */
  record Entry(String name, BigDecimal price, String currency, Boolean active) {}

  private final Database db;
  private final Clock clock;
  private final MergePatch mergePatch = new MergePatch(JsonSupport.strictMapper());

  @Activate
  public PriceBookServiceImpl(@Reference Database db) {
    this(db, Clock.systemUTC());
  }

  PriceBookServiceImpl(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  // --- labor rates ---

  @Override
  public LaborRate createLaborRate(LaborRateDraft d, Caller caller) {
    require(d);
    return toLabor(
        create(
            LABOR,
            "code",
            d.code(),
            "hourlyRate",
            new Entry(d.name(), d.hourlyRate(), d.currency(), d.active()),
            caller));
  }

  @Override
  public LaborRate laborRate(String code) {
    return toLabor(get(LABOR, "labor rate", code));
  }

  @Override
  public Page<LaborRate> laborRates(PageRequest page) {
    return list(LABOR, page, PriceBookServiceImpl::toLabor);
  }

  @Override
  public LaborRate updateLaborRate(
      String code, long expectedVersion, Map<String, Object> patch, Caller caller) {
    return toLabor(update(LABOR, "labor rate", code, "hourlyRate", expectedVersion, patch, caller));
  }

  @Override
  public Optional<LaborRate> activeLaborRate(String code) {
    return active(LABOR, code).map(PriceBookServiceImpl::toLabor);
  }

  // --- parts ---

  @Override
  public Part createPart(PartDraft d, Caller caller) {
    require(d);
    return toPart(
        create(
            PART,
            "sku",
            d.sku(),
            "unitPrice",
            new Entry(d.name(), d.unitPrice(), d.currency(), d.active()),
            caller));
  }

  @Override
  public Part part(String sku) {
    return toPart(get(PART, "part", sku));
  }

  @Override
  public Page<Part> parts(PageRequest page) {
    return list(PART, page, PriceBookServiceImpl::toPart);
  }

  @Override
  public Part updatePart(
      String sku, long expectedVersion, Map<String, Object> patch, Caller caller) {
    return toPart(update(PART, "part", sku, "unitPrice", expectedVersion, patch, caller));
  }

  @Override
  public Optional<Part> activePart(String sku) {
    return active(PART, sku).map(PriceBookServiceImpl::toPart);
  }

  // --- flat-rate tasks ---

  @Override
  public FlatRateTask createFlatRateTask(FlatRateTaskDraft d, Caller caller) {
    require(d);
    return toTask(
        create(
            TASK,
            "code",
            d.code(),
            "price",
            new Entry(d.name(), d.price(), d.currency(), d.active()),
            caller));
  }

  @Override
  public FlatRateTask flatRateTask(String code) {
    return toTask(get(TASK, "flat-rate task", code));
  }

  @Override
  public Page<FlatRateTask> flatRateTasks(PageRequest page) {
    return list(TASK, page, PriceBookServiceImpl::toTask);
  }

  @Override
  public FlatRateTask updateFlatRateTask(
      String code, long expectedVersion, Map<String, Object> patch, Caller caller) {
    return toTask(update(TASK, "flat-rate task", code, "price", expectedVersion, patch, caller));
  }

  @Override
  public Optional<FlatRateTask> activeFlatRateTask(String code) {
    return active(TASK, code).map(PriceBookServiceImpl::toTask);
  }

  // --- shared ---

  private static void require(Object draft) {
    if (draft == null) {
      throw ValidationException.of("body", "must be a JSON object");
    }
  }

  private PriceEntity create(
      String kind, String codeField, String code, String priceField, Entry e, Caller caller) {
    Checks checks = new Checks();
    checks.check(
        code != null && CODE.matcher(code).matches(),
        codeField,
        "must be 1 to 64 letters, digits, '.', '_' or '-'");
    validate(checks, e, priceField);
    checks.throwIfAny();
    return db.inTransaction(
        em -> {
          if (em.find(PriceEntity.class, PriceEntity.id(kind, code)) != null) {
            throw new StateConflictException(codeField + " " + code + " already exists");
          }
          PriceEntity p = new PriceEntity();
          p.id = PriceEntity.id(kind, code);
          p.kind = kind;
          p.code = code;
          write(e, p);
          p.createdAt = clock.instant();
          p.updatedAt = p.createdAt;
          p.updatedBy = caller.username();
          em.persist(p);
          em.flush();
          return p;
        });
  }

  private static void validate(Checks checks, Entry e, String priceField) {
    checks.text("name", e.name(), true, Checks.NAME_MAX);
    BigDecimal price = e.price();
    if (price == null) {
      checks.add(priceField, "is required");
    } else {
      checks.check(price.signum() >= 0, priceField, "must not be negative");
      checks.check(
          price.stripTrailingZeros().scale() <= 4,
          priceField,
          "must have at most 4 decimal places");
      checks.check(price.compareTo(new BigDecimal("1000000000")) < 0, priceField, "is too large");
    }
    checks.check(
        Checks.isCurrency(e.currency()), "currency", "must be an ISO 4217 currency code, e.g. USD");
  }

  private static void write(Entry e, PriceEntity p) {
    p.name = e.name().strip();
    p.price = e.price();
    p.currency = e.currency();
    p.active = e.active() == null || e.active();
  }

  private PriceEntity get(String kind, String what, String code) {
    return db.read(em -> find(em, kind, what, code));
  }

  private static PriceEntity find(EntityManager em, String kind, String what, String code) {
    PriceEntity p = code == null ? null : em.find(PriceEntity.class, PriceEntity.id(kind, code));
    if (p == null) {
      throw new NotFoundException(what, code);
    }
    return p;
  }

  private Optional<PriceEntity> active(String kind, String code) {
    if (code == null) {
      return Optional.empty();
    }
    return db.read(
        em ->
            Optional.ofNullable(em.find(PriceEntity.class, PriceEntity.id(kind, code)))
                .filter(p -> p.active));
  }

  private <R> Page<R> list(String kind, PageRequest page, Function<PriceEntity, R> toRecord) {
    return db.read(
        em ->
            Paging.of(em, PriceEntity.class, "id")
                .where("e.kind = :kind", "kind", kind)
                .page(page, p -> p.id, toRecord));
  }

  private PriceEntity update(
      String kind,
      String what,
      String code,
      String priceField,
      long expected,
      Map<String, Object> patch,
      Caller caller) {
    Map<String, Object> renamed = rename(patch, priceField);
    try {
      return db.inTransaction(
          em -> {
            PriceEntity p = find(em, kind, what, code);
            if (p.version != expected) {
              throw new VersionMismatchException(expected, p.version);
            }
            Entry current = new Entry(p.name, Checks.money(p.price), p.currency, p.active);
            Entry merged;
            try {
              merged = mergePatch.apply(current, renamed, Entry.class, Set.of());
            } catch (ValidationException e) { // name the price by its API name
              throw new ValidationException(
                  e.errors().stream()
                      .map(
                          f ->
                              "price".equals(f.field())
                                  ? new org.fieldops.api.FieldError(priceField, f.message())
                                  : f)
                      .toList());
            }
            // the same amount written another way (149 for 149.00) is no change
            merged =
                new Entry(
                    merged.name(),
                    Checks.money(merged.price()),
                    merged.currency(),
                    merged.active());
            if (merged.equals(current)) {
              return p;
            }
            Checks checks = new Checks();
            validate(checks, merged, priceField);
            checks.throwIfAny();
            write(merged, p);
            p.updatedAt = clock.instant();
            p.updatedBy = caller.username();
            em.flush();
            return p;
          });
    } catch (ConcurrentUpdateException raced) {
      throw new VersionMismatchException(expected, get(kind, what, code).version);
    }
  }

  /**
   * Checks the patch's field names against the kind's API names and renames the price field to the
   * stored entry's {@code price}: unknown and read-only fields are refused by their API name.
   */
  private static Map<String, Object> rename(Map<String, Object> patch, String priceField) {
    if (patch == null) {
      throw ValidationException.of("body", "must be a JSON object");
    }
    Checks checks = new Checks();
    Map<String, Object> renamed = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Object> e : patch.entrySet()) {
      String k = e.getKey();
      if (k.equals(priceField)) {
        renamed.put("price", e.getValue());
      } else if (Set.of("name", "currency", "active").contains(k)) {
        renamed.put(k, e.getValue());
      } else if (Set.of("code", "sku", "version", "updatedAt").contains(k)) {
        checks.add(k, "is read-only");
      } else {
        checks.add(k, "is not a field of this resource");
      }
    }
    checks.throwIfAny();
    return renamed;
  }

  private static LaborRate toLabor(PriceEntity p) {
    return new LaborRate(
        p.code, p.name, Checks.money(p.price), p.currency, p.active, p.version, p.updatedAt);
  }

  private static Part toPart(PriceEntity p) {
    return new Part(
        p.code, p.name, Checks.money(p.price), p.currency, p.active, p.version, p.updatedAt);
  }

  private static FlatRateTask toTask(PriceEntity p) {
    return new FlatRateTask(
        p.code, p.name, Checks.money(p.price), p.currency, p.active, p.version, p.updatedAt);
  }
}
