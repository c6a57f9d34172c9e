package org.fieldops.jobs.internal;

import static org.fieldops.jobs.internal.Expect.invalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fieldops.api.NotFoundException;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.fieldops.api.StateConflictException;
import org.fieldops.api.VersionMismatchException;
import org.fieldops.api.security.Caller;
import org.fieldops.api.security.Role;
import org.fieldops.api.security.User;
import org.fieldops.api.security.UserDraft;
import org.fieldops.store.UserAccountEntity;
import org.fieldops.store.testing.TestDatabase;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class UserServiceImplTest {
  private static final Instant T0 = Instant.parse("2026-11-25T08:30:00Z");
  private static final String PASSWORD = "correct horse battery";
  private static final Caller ADMIN = new Caller("root-admin", Set.of(Role.ADMIN));

  @Rule public final TestDatabase db = new TestDatabase();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final MutableClock clock = new MutableClock(T0);
  private UserServiceImpl users;

  @Before
  public void setUp() {
    users = service(Duration.ofSeconds(30));
  }

  private UserServiceImpl service(Duration cacheTtl) {
    return new UserServiceImpl(db, clock, 1_000, cacheTtl);
  }

  private static Map<String, Object> patch(Object... keyValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private User dispatcher(String username) {
    return users.create(new UserDraft(username, PASSWORD, List.of("dispatcher"), null), ADMIN);
  }

  /** Replaces the stored hash behind the service's back, as another node would. */
  private void changePasswordDirectly(String username, String newPassword) {
    String hash = new PasswordHasher(1_000).hash(newPassword);
    db.inTransaction(
        em -> {
          em.find(UserAccountEntity.class, username).passwordHash = hash;
          return null;
        });
  }

  // --- create, get, list ---

  @Test
  public void createAndGet() {
    User u =
        users.create(
            new UserDraft("dora", PASSWORD, List.of("finance", "dispatcher", "finance"), null),
            ADMIN);
    assertEquals("dora", u.username());
    assertEquals(List.of("dispatcher", "finance"), u.roles());
    assertFalse(u.disabled());
    assertEquals(1L, u.version());
    assertEquals(T0, u.createdAt());
    assertEquals(u, users.get("dora"));
    assertEquals("root-admin", db.read(em -> em.find(UserAccountEntity.class, "dora").updatedBy));
  }

  @Test
  public void aUserCanBeCreatedDisabled() {
    assertTrue(
        users
            .create(new UserDraft("sleepy", PASSWORD, List.of("finance"), true), ADMIN)
            .disabled());
  }

  @Test
  public void getOfAnUnknownUserIsNotFound() {
    assertThrows(NotFoundException.class, () -> users.get("nobody"));
    assertThrows(NotFoundException.class, () -> users.get(null));
  }

  @Test
  public void listIsByUsernameAndPages() {
    for (String name : List.of("carol", "alice", "eve", "bob", "dave")) {
      dispatcher(name);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<User> page = users.list(new PageRequest(2, cursor));
      page.items().forEach(u -> seen.add(u.username()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertEquals(List.of("alice", "bob", "carol", "dave", "eve"), seen);
  }

  @Test
  public void aTakenUsernameIsAConflict() {
    dispatcher("dora");
    assertThrows(
        StateConflictException.class,
        () ->
            users.create(
                new UserDraft("dora", "another password", List.of("finance"), null), ADMIN));
    assertEquals(List.of("dispatcher"), users.get("dora").roles());
  }

  @Test
  public void badInputIsRefusedByField() {
    invalid(
        () -> users.create(new UserDraft("dora", "short", List.of("dispatcher"), null), ADMIN),
        "password");
    invalid(
        () -> users.create(new UserDraft("dora", null, List.of("dispatcher"), null), ADMIN),
        "password");
    invalid(
        () ->
            users.create(
                new UserDraft("dora", "p".repeat(201), List.of("dispatcher"), null), ADMIN),
        "password");
    invalid(
        () -> users.create(new UserDraft("dora", PASSWORD, List.of("root"), null), ADMIN),
        "roles[0]");
    invalid(
        () ->
            users.create(
                new UserDraft("dora", PASSWORD, List.of("finance", "Dispatcher"), null), ADMIN),
        "roles[1]");
    invalid(
        () ->
            users.create(
                new UserDraft("dora", PASSWORD, Arrays.asList("finance", null), null), ADMIN),
        "roles[1]");
    invalid(() -> users.create(new UserDraft("dora", PASSWORD, List.of(), null), ADMIN), "roles");
    invalid(() -> users.create(new UserDraft("dora", PASSWORD, null, null), ADMIN), "roles");
    for (String bad :
        Arrays.asList("Dora", "d", "has space", "-dora", "dora!", "d".repeat(65), "", null)) {
      invalid(
          () -> users.create(new UserDraft(bad, PASSWORD, List.of("finance"), null), ADMIN),
          "username");
    }
    invalid(
        () -> users.create(new UserDraft("Bad Name", "weak", List.of("boss"), null), ADMIN),
        "username",
        "password",
        "roles[0]");
    invalid(() -> users.create(null, ADMIN), "body");
    assertTrue(users.list(PageRequest.first(50)).items().isEmpty());
  }

  @Test
  public void goodUsernamesAreAccepted() {
    for (String ok : List.of("do", "dora.smith", "tech_01", "a-b", "0day", "d".repeat(64))) {
      assertEquals(
          ok,
          users.create(new UserDraft(ok, PASSWORD, List.of("finance"), null), ADMIN).username());
    }
  }

  @Test
  public void thePasswordNeverAppearsInAUser() {
    User u = dispatcher("dora");
    for (RecordComponent c : User.class.getRecordComponents()) {
      assertFalse(c.getName(), c.getName().toLowerCase().contains("password"));
      assertFalse(c.getName(), c.getName().toLowerCase().contains("hash"));
    }
    String shown = u.toString() + users.get("dora") + users.list(PageRequest.first(10));
    assertFalse(shown.contains(PASSWORD));
    assertFalse(shown.contains("pbkdf2"));
  }

  @Test
  public void thePasswordIsStoredOnlyAsASaltedHash() {
    dispatcher("dora");
    dispatcher("dave");
    String dora = db.read(em -> em.find(UserAccountEntity.class, "dora").passwordHash);
    String dave = db.read(em -> em.find(UserAccountEntity.class, "dave").passwordHash);
    assertTrue(dora.startsWith("pbkdf2-sha256$1000$"));
    assertFalse(dora.contains(PASSWORD));
    assertFalse("same password, different salt", dora.equals(dave));
  }

  // --- authenticate ---

  @Test
  public void authenticateWithTheRightPassword() {
    users.create(new UserDraft("dora", PASSWORD, List.of("dispatcher", "finance"), null), ADMIN);
    Optional<Caller> caller = users.authenticate("dora", PASSWORD);
    assertTrue(caller.isPresent());
    assertEquals("dora", caller.get().username());
    assertEquals(Set.of(Role.DISPATCHER, Role.FINANCE), caller.get().roles());
  }

  @Test
  public void authenticateFailsOnAWrongPasswordAnUnknownUserOrADisabledAccount() {
    dispatcher("dora");
    users.create(new UserDraft("sleepy", PASSWORD, List.of("finance"), true), ADMIN);

    assertEquals(Optional.empty(), users.authenticate("dora", "wrong password"));
    assertEquals(Optional.empty(), users.authenticate("dora", PASSWORD + " "));
    assertEquals(Optional.empty(), users.authenticate("dora", ""));
    assertEquals(Optional.empty(), users.authenticate("Dora", PASSWORD));
    assertEquals(Optional.empty(), users.authenticate("nobody", PASSWORD));
    assertEquals(Optional.empty(), users.authenticate("", ""));
    assertEquals(Optional.empty(), users.authenticate("not a username", PASSWORD));
    assertEquals(Optional.empty(), users.authenticate("sleepy", PASSWORD));
    assertEquals(Optional.empty(), users.authenticate(null, PASSWORD));
    assertEquals(Optional.empty(), users.authenticate("dora", null));
    assertTrue(users.authenticate("dora", PASSWORD).isPresent());
  }

  @Test
  public void aWrongPasswordIsNotCached() {
    dispatcher("dora");
    assertEquals(Optional.empty(), users.authenticate("dora", "wrong password"));
    changePasswordDirectly("dora", "wrong password");
    assertTrue(users.authenticate("dora", "wrong password").isPresent());
  }

  // --- update ---

  @Test
  public void updateChangesPasswordRolesAndDisabled() {
    dispatcher("dora");
    clock.advance(Duration.ofMinutes(1));
    User u =
        users.update(
            "dora", 1, patch("roles", List.of("finance", "dispatcher"), "disabled", true), ADMIN);
    assertEquals(2L, u.version());
    assertEquals(List.of("dispatcher", "finance"), u.roles());
    assertTrue(u.disabled());
    assertEquals(T0.plus(Duration.ofMinutes(1)), u.updatedAt());
    assertEquals(T0, u.createdAt());

    User again =
        users.update("dora", 2, patch("disabled", false, "password", "a brand new secret"), ADMIN);
    assertFalse(again.disabled());
    assertTrue(users.authenticate("dora", "a brand new secret").isPresent());
    assertEquals(Optional.empty(), users.authenticate("dora", PASSWORD));
  }

  @Test
  public void updateRefusesBadFieldsByName() {
    dispatcher("dora");
    invalid(() -> users.update("dora", 1, patch("password", "short"), ADMIN), "password");
    invalid(() -> users.update("dora", 1, patch("password", 12345678901L), ADMIN), "password");
    invalid(() -> users.update("dora", 1, patch("roles", List.of("boss")), ADMIN), "roles[0]");
    invalid(() -> users.update("dora", 1, patch("roles", List.of()), ADMIN), "roles");
    invalid(() -> users.update("dora", 1, patch("roles", "dispatcher"), ADMIN), "roles");
    invalid(() -> users.update("dora", 1, patch("disabled", "yes"), ADMIN), "disabled");
    invalid(() -> users.update("dora", 1, patch("username", "dora2"), ADMIN), "username");
    invalid(
        () -> users.update("dora", 1, patch("version", 3, "createdAt", "x"), ADMIN),
        "version",
        "createdAt");
    invalid(() -> users.update("dora", 1, patch("email", "d@example.com"), ADMIN), "email");
    invalid(() -> users.update("dora", 1, null, ADMIN), "body");
    assertEquals(1L, users.get("dora").version());
    assertTrue(users.authenticate("dora", PASSWORD).isPresent());
  }

  @Test
  public void updateWithAStaleVersionIsAMismatch() {
    dispatcher("dora");
    users.update("dora", 1, patch("roles", List.of("finance")), ADMIN);
    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () -> users.update("dora", 1, patch("disabled", true), ADMIN));
    assertEquals(2L, e.currentVersion());
    assertFalse(users.get("dora").disabled());
  }

  @Test
  public void updateOfAnUnknownUserIsNotFound() {
    assertThrows(
        NotFoundException.class, () -> users.update("nobody", 1, patch("disabled", true), ADMIN));
  }

  @Test
  public void theAdminCannotBeDisabledOrLoseTheAdminRole() {
    assertTrue(
        users.bootstrapAdmin("initial admin pw", null, tmp.getRoot().toPath().resolve("unused")));
    assertThrows(
        StateConflictException.class,
        () -> users.update("admin", 1, patch("disabled", true), ADMIN));
    assertThrows(
        StateConflictException.class,
        () -> users.update("admin", 1, patch("roles", List.of("dispatcher")), ADMIN));
    User admin = users.get("admin");
    assertFalse(admin.disabled());
    assertEquals(List.of("admin"), admin.roles());
    assertEquals(1L, admin.version());

    // other changes to admin are fine
    User more =
        users.update(
            "admin",
            1,
            patch("roles", List.of("admin", "finance"), "password", "rotated admin pw"),
            ADMIN);
    assertEquals(List.of("admin", "finance"), more.roles());
    assertTrue(users.authenticate("admin", "rotated admin pw").isPresent());
    assertEquals(Optional.empty(), users.authenticate("admin", "initial admin pw"));
  }

  @Test
  public void theVersionIsCheckedBeforeTheAdminRule() {
    // API.md: If-Match is checked before any state rule
    users.bootstrapAdmin("initial admin pw", null, tmp.getRoot().toPath().resolve("unused"));
    users.update("admin", 1, patch("password", "rotated admin pw"), ADMIN);
    VersionMismatchException e =
        assertThrows(
            VersionMismatchException.class,
            () -> users.update("admin", 1, patch("disabled", true), ADMIN));
    assertEquals(2L, e.currentVersion());
  }

  // --- the credential cache ---

  @Test
  public void aSuccessfulAuthenticationIsRememberedForTheTtl() {
    dispatcher("dora");
    assertTrue(users.authenticate("dora", PASSWORD).isPresent());
    changePasswordDirectly("dora", "changed elsewhere");

    clock.advance(Duration.ofSeconds(29));
    assertTrue("still cached", users.authenticate("dora", PASSWORD).isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertEquals("expired after 30 s", Optional.empty(), users.authenticate("dora", PASSWORD));
    assertTrue(users.authenticate("dora", "changed elsewhere").isPresent());
  }

  @Test
  public void aStaleEntryIsRenewedWhileTheAccountRowIsUnchanged() {
    dispatcher("dora");
    assertTrue(users.authenticate("dora", PASSWORD).isPresent());
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(31));
      assertTrue("renewed after " + i, users.authenticate("dora", PASSWORD).isPresent());
    }
    assertEquals(Optional.empty(), users.authenticate("dora", "not the password"));
  }

  @Test
  public void aStaleEntryIsNotRenewedForAnAccountDisabledElsewhere() {
    dispatcher("dora");
    assertTrue(users.authenticate("dora", PASSWORD).isPresent());
    db.inTransaction(
        em -> {
          em.find(UserAccountEntity.class, "dora").disabled = true;
          return null;
        });
    clock.advance(Duration.ofSeconds(29));
    assertTrue("trusted for the TTL", users.authenticate("dora", PASSWORD).isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Optional.empty(), users.authenticate("dora", PASSWORD));
  }

  @Test
  public void aRenewedEntryStillExpiresWhenThePasswordChangesElsewhere() {
    dispatcher("dora");
    assertTrue(users.authenticate("dora", PASSWORD).isPresent());
    clock.advance(Duration.ofSeconds(45));
    assertTrue("renewed", users.authenticate("dora", PASSWORD).isPresent());
    changePasswordDirectly("dora", "changed elsewhere");
    clock.advance(Duration.ofSeconds(29));
    assertTrue("trusted for the TTL", users.authenticate("dora", PASSWORD).isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Optional.empty(), users.authenticate("dora", PASSWORD));
    assertTrue(users.authenticate("dora", "changed elsewhere").isPresent());
  }

  @Test
  public void changingThePasswordDropsTheCachedCredentialAtOnce() {
    dispatcher("dora");
    assertTrue(users.authenticate("dora", PASSWORD).isPresent());
    users.update("dora", 1, patch("password", "a brand new secret"), ADMIN);
    assertEquals(Optional.empty(), users.authenticate("dora", PASSWORD));
    assertTrue(users.authenticate("dora", "a brand new secret").isPresent());
  }

  @Test
  public void disablingOrChangingRolesTakesEffectAtOnce() {
    dispatcher("dora");
    assertEquals(Set.of(Role.DISPATCHER), users.authenticate("dora", PASSWORD).get().roles());
    users.update("dora", 1, patch("roles", List.of("finance")), ADMIN);
    assertEquals(Set.of(Role.FINANCE), users.authenticate("dora", PASSWORD).get().roles());
    users.update("dora", 2, patch("disabled", true), ADMIN);
    assertEquals(Optional.empty(), users.authenticate("dora", PASSWORD));
  }

  @Test
  public void aTtlAboveAMinuteIsCappedToAMinute() {
    UserServiceImpl longCache = service(Duration.ofMinutes(10));
    longCache.create(new UserDraft("dora", PASSWORD, List.of("dispatcher"), null), ADMIN);
    assertTrue(longCache.authenticate("dora", PASSWORD).isPresent());
    changePasswordDirectly("dora", "changed elsewhere");

    clock.advance(Duration.ofSeconds(59));
    assertTrue(longCache.authenticate("dora", PASSWORD).isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Optional.empty(), longCache.authenticate("dora", PASSWORD));
  }

  @Test
  public void aZeroTtlCachesNothing() {
    UserServiceImpl noCache = service(Duration.ZERO);
    noCache.create(new UserDraft("dora", PASSWORD, List.of("dispatcher"), null), ADMIN);
    assertTrue(noCache.authenticate("dora", PASSWORD).isPresent());
    changePasswordDirectly("dora", "changed elsewhere");
    assertEquals(Optional.empty(), noCache.authenticate("dora", PASSWORD));
  }

  @Test
  public void theCacheIsPerPassword() {
    dispatcher("dora");
    assertTrue(users.authenticate("dora", PASSWORD).isPresent());
    assertEquals(Optional.empty(), users.authenticate("dora", PASSWORD.toUpperCase()));
    assertEquals(Optional.empty(), users.authenticate("dave", PASSWORD));
  }

  // --- bootstrapAdmin ---

  @Test
  public void bootstrapWithAConfiguredPasswordCreatesAdminOnce() {
    Path file = tmp.getRoot().toPath().resolve("fieldops/initial-admin-password");
    assertTrue(users.bootstrapAdmin("env admin password", null, file));
    assertFalse("no file when the password was given", Files.exists(file));

    User admin = users.get("admin");
    assertEquals(List.of("admin"), admin.roles());
    assertFalse(admin.disabled());
    Caller caller = users.authenticate("admin", "env admin password").orElseThrow();
    assertTrue(caller.has(Role.ADMIN));

    assertFalse(users.bootstrapAdmin("another password", null, file));
    assertFalse(users.bootstrapAdmin(null, null, file));
    assertFalse(Files.exists(file));
    assertTrue(users.authenticate("admin", "env admin password").isPresent());
    assertEquals(Optional.empty(), users.authenticate("admin", "another password"));
  }

  @Test
  public void theEnvironmentComesBeforeTheSystemProperty() {
    Path file = tmp.getRoot().toPath().resolve("pw");
    assertTrue(users.bootstrapAdmin("from the environment", "from the property", file));
    assertTrue(users.authenticate("admin", "from the environment").isPresent());
    assertEquals(Optional.empty(), users.authenticate("admin", "from the property"));
  }

  @Test
  public void theSystemPropertyIsUsedWhenTheEnvironmentHasNone() {
    Path file = tmp.getRoot().toPath().resolve("pw");
    assertTrue(users.bootstrapAdmin("  ", "from the property", file));
    assertTrue(users.authenticate("admin", "from the property").isPresent());
    assertFalse(Files.exists(file));
  }

  @Test
  public void withoutAConfiguredPasswordARandomOneIsWrittenOwnerReadableOnly() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("data/fieldops/initial-admin-password");
    assertTrue(users.bootstrapAdmin(null, null, file));

    assertTrue(Files.exists(file));
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    String password = Files.readString(file, StandardCharsets.UTF_8).strip();
    assertTrue(password, password.length() >= UserServiceImpl.PASSWORD_MIN);
    assertTrue(users.authenticate("admin", password).isPresent());

    assertFalse(users.bootstrapAdmin(null, null, file));
    assertEquals(
        "a second start leaves the file alone",
        password,
        Files.readString(file, StandardCharsets.UTF_8).strip());
  }

  @Test
  public void anOldPasswordFileIsReplacedWithAnOwnerOnlyOne() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("initial-admin-password");
    Files.writeString(file, "stale\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertTrue(users.bootstrapAdmin("", "", file));

    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    String password = Files.readString(file, StandardCharsets.UTF_8).strip();
    assertFalse(password.equals("stale"));
    assertTrue(users.authenticate("admin", password).isPresent());
  }

  @Test
  public void twoRandomPasswordsDiffer() throws IOException {
    Path first = tmp.getRoot().toPath().resolve("one");
    users.bootstrapAdmin(null, null, first);
    String a = Files.readString(first).strip();
    db.inTransaction(
        em -> {
          em.remove(em.find(UserAccountEntity.class, "admin"));
          return null;
        });
    Path second = tmp.getRoot().toPath().resolve("two");
    users.bootstrapAdmin(null, null, second);
    assertFalse(a.equals(Files.readString(second).strip()));
  }
}
