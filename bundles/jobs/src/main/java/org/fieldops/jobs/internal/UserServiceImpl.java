package org.fieldops.jobs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.ValidationException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.security.User;
import org.fieldops.api.security.UserDraft;
import org.fieldops.api.security.UserService;
import org.fieldops.store.ConcurrentUpdateException;
import org.fieldops.store.Database;
import org.fieldops.store.UserAccountEntity;
import org.fieldops.store.support.Checks;
import org.fieldops.store.support.Paging;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's user store. On first start it creates {@code admin} with the password from the
 * {@code FIELDOPS_ADMIN_PASSWORD} environment variable or the {@code fieldops.admin.password}
 * system property, else a random one written to {@code
 * ${karaf.data}/fieldops/initial-admin-password} (owner-readable only).
 */
@Component(
    service = UserService.class,
    immediate = true,
    configurationPid = "org.fieldops.security")
@Designate(ocd = UserServiceImpl.Config.class)
public class UserServiceImpl implements UserService {
  private static final Logger LOG = LoggerFactory.getLogger(UserServiceImpl.class);
  static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
  static final int PASSWORD_MIN = 10;
  static final int PASSWORD_MAX = 200;
  static final String ADMIN = "admin";

  @ObjectClassDefinition(name = "FieldOps security", description = "Authentication of API calls")
  public @interface Config {
    @AttributeDefinition(description = "Seconds a verified password is remembered (0 to 60)")
    int credentialCacheSeconds() default 30;

    @AttributeDefinition(description = "PBKDF2 iterations for new password hashes")
    int passwordHashIterations() default PasswordHasher.DEFAULT_ITERATIONS;
  }

  private final Database db;
  private final Clock clock;
  private final PasswordHasher hasher;
  private final CredentialCache cache;

  @Activate
  public UserServiceImpl(@Reference Database db, Config config) {
    this(
        db,
        Clock.systemUTC(),
        config.passwordHashIterations(),
        Duration.ofSeconds(config.credentialCacheSeconds()));
    bootstrapAdmin(
        System.getenv("FIELDOPS_ADMIN_PASSWORD"),
        System.getProperty("fieldops.admin.password"),
        Path.of(System.getProperty("karaf.data", "data"), "fieldops", "initial-admin-password"));
  }

  UserServiceImpl(Database db, Clock clock, int iterations, Duration cacheTtl) {
    this.db = db;
    this.clock = clock;
    this.hasher = new PasswordHasher(iterations);
    this.cache = new CredentialCache(cacheTtl, clock);
  }

  /** Creates {@code admin} if there is none. Returns true if it did. */
  boolean bootstrapAdmin(String fromEnv, String fromProperty, Path passwordFile) {
    if (db.read(em -> em.find(UserAccountEntity.class, ADMIN)) != null) {
      return false;
    }
    String password = firstNonBlank(fromEnv, fromProperty);
    boolean generated = password == null;
    if (generated) {
      byte[] bytes = new byte[18];
      new SecureRandom().nextBytes(bytes);
      password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    try {
      insert(ADMIN, password, List.of(Role.ADMIN.id()), false, Caller.system());
    } catch (StateConflictException raced) {
      return false; // another node created it first
    }
    if (generated) {
      writeOwnerOnly(passwordFile, password);
      LOG.warn("Created user 'admin' with a random password, written to {}", passwordFile);
    } else {
      LOG.info("Created user 'admin' with the configured initial password");
    }
    return true;
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static void writeOwnerOnly(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the initial admin password to " + file, e);
    }
  }

  @Override
  public User create(UserDraft draft, Caller caller) {
    if (draft == null) {
      throw ValidationException.of("body", "must be a JSON object");
    }
    Checks checks = new Checks();
    checks.check(
        draft.username() != null && USERNAME.matcher(draft.username()).matches(),
        "username",
        "must be 2 to 64 lower-case letters, digits, '.', '_' or '-'");
    checkPassword(checks, draft.password());
    List<String> roles = checkRoles(checks, draft.roles());
    checks.throwIfAny();
    return insert(
        draft.username(), draft.password(), roles, Boolean.TRUE.equals(draft.disabled()), caller);
  }

  private User insert(
      String username, String password, List<String> roles, boolean disabled, Caller caller) {
    String hash = hasher.hash(password); // outside the transaction: it is slow on purpose
    try {
      return db.inTransaction(
          em -> {
            if (em.find(UserAccountEntity.class, username) != null) {
              throw new StateConflictException("user " + username + " already exists");
            }
            UserAccountEntity e = new UserAccountEntity();
            e.username = username;
            e.passwordHash = hash;
            e.roles = String.join(",", roles);
            e.disabled = disabled;
            e.createdAt = clock.instant();
            e.updatedAt = e.createdAt;
            e.updatedBy = caller.username();
            em.persist(e);
            em.flush();
            return toUser(e);
          });
    } catch (RuntimeException e) {
      if (e instanceof StateConflictException) {
        throw e;
      }
      if (db.read(em -> em.find(UserAccountEntity.class, username)) != null) {
        throw new StateConflictException("user " + username + " already exists");
      }
      throw e;
    }
  }

  private static void checkPassword(Checks checks, String password) {
    checks.check(
        password != null && password.length() >= PASSWORD_MIN && password.length() <= PASSWORD_MAX,
        "password",
        "must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters");
  }

  private static List<String> checkRoles(Checks checks, List<String> roles) {
    if (roles == null || roles.isEmpty()) {
      checks.add("roles", "at least one role: admin, dispatcher, technician or finance");
      return List.of();
    }
    TreeSet<String> ids = new TreeSet<>();
    for (int i = 0; i < roles.size(); i++) {
      String id = roles.get(i);
      if (id == null || Role.fromId(id).isEmpty()) {
        checks.add(
            "roles[" + i + "]", "unknown role; use admin, dispatcher, technician or finance");
      } else {
        ids.add(id);
      }
    }
    return new ArrayList<>(ids);
  }

  @Override
  public User get(String username) {
    return db.read(em -> toUser(find(em, username)));
  }

  private static UserAccountEntity find(javax.persistence.EntityManager em, String username) {
    UserAccountEntity e = username == null ? null : em.find(UserAccountEntity.class, username);
    if (e == null) {
      throw new NotFoundException("user", username);
    }
    return e;
  }

  @Override
  public Page<User> list(PageRequest page) {
    return db.read(
        em ->
            Paging.list(
                em,
                UserAccountEntity.class,
                "username",
                Map.of(),
                page,
                e -> e.username,
                this::toUser));
  }

  @Override
  public User update(
      String username, long expectedVersion, Map<String, Object> patch, Caller caller) {
    if (patch == null) {
      throw ValidationException.of("body", "must be a JSON object");
    }
    Checks checks = new Checks();
    String password = null;
    List<String> roles = null;
    Boolean disabled = null;
    for (Map.Entry<String, Object> entry : patch.entrySet()) {
      Object v = entry.getValue();
      switch (entry.getKey()) {
        case "password" -> {
          if (v instanceof String s) {
            checkPassword(checks, s);
            password = s;
          } else {
            checks.add("password", "must be a string");
          }
        }
        case "roles" -> {
          if (v instanceof List<?> list
              && list.stream().allMatch(x -> x == null || x instanceof String)) {
            @SuppressWarnings("unchecked")
            List<String> strings = (List<String>) list;
            roles = checkRoles(checks, strings);
          } else {
            checks.add("roles", "must be a list of role names");
          }
        }
        case "disabled" -> {
          if (v instanceof Boolean b) {
            disabled = b;
          } else {
            checks.add("disabled", "must be true or false");
          }
        }
        case "username", "version", "createdAt", "updatedAt" ->
            checks.add(entry.getKey(), "is read-only");
        default -> checks.add(entry.getKey(), "is not a field of this resource");
      }
    }
    checks.throwIfAny();
    boolean weakensAdmin =
        ADMIN.equals(username)
            && (Boolean.TRUE.equals(disabled)
                || (roles != null && !roles.contains(Role.ADMIN.id())));
    String hash = password == null ? null : hasher.hash(password);
    List<String> newRoles = roles;
    Boolean newDisabled = disabled;
    try {
      User updated =
          db.inTransaction(
              em -> {
                UserAccountEntity e = find(em, username);
                if (e.version != expectedVersion) {
                  throw new VersionMismatchException(expectedVersion, e.version);
                }
                if (weakensAdmin) { // a state rule: only after the version (If-Match) check
                  throw new StateConflictException(
                      "the admin account cannot be disabled or lose the admin role");
                }
                if (hash != null) {
                  e.passwordHash = hash;
                }
                if (newRoles != null) {
                  e.roles = String.join(",", newRoles);
                }
                if (newDisabled != null) {
                  e.disabled = newDisabled;
                }
                e.updatedAt = clock.instant();
                e.updatedBy = caller.username();
                em.flush();
                return toUser(e);
              });
      return updated;
    } catch (ConcurrentUpdateException raced) {
      throw new VersionMismatchException(expectedVersion, get(username).version());
    } finally {
      cache.invalidate(username);
    }
  }

  @Override
  public Optional<Caller> authenticate(String username, String password) {
    if (username == null || password == null) {
      return Optional.empty();
    }
    Optional<CredentialCache.Hit> cached = cache.lookup(username, password);
    if (cached.isPresent() && cached.get().fresh()) {
      return Optional.of(cached.get().caller());
    }
    UserAccountEntity e =
        USERNAME.matcher(username).matches()
            ? db.read(em -> em.find(UserAccountEntity.class, username))
            : null;
    if (e == null) {
      hasher.burn(password);
      return Optional.empty();
    }
    if (cached.isPresent() && !e.disabled && cache.sameHash(cached.get(), e.passwordHash)) {
      // verified against this very hash within the hour: the row says it still holds
      Caller caller = new Caller(username, roles(e));
      cache.renew(username, password, caller);
      return Optional.of(caller);
    }
    if (!hasher.verify(password, e.passwordHash) || e.disabled) {
      return Optional.empty();
    }
    Caller caller = new Caller(username, roles(e));
    cache.put(username, password, caller, e.passwordHash);
    return Optional.of(caller);
  }

  private static Set<Role> roles(UserAccountEntity e) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String id : e.roles.split(",")) {
      Role.fromId(id).ifPresent(roles::add);
    }
    return roles;
  }

  private User toUser(UserAccountEntity e) {
    return new User(
        e.username, List.of(e.roles.split(",")), e.disabled, e.version, e.createdAt, e.updatedAt);
  }
}
