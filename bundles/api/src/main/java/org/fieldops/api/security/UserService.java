package org.fieldops.api.security;

import java.util.Map;
import java.util.Optional;
import org.fieldops.api.Page;
import org.fieldops.api.PageRequest;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's own user store: accounts, salted slow password hashes, roles, and authentication
 * of API calls. Thread-safe.
 */
@ProviderType
public interface UserService {

  /**
   * Creates an account.
   *
   * @throws org.fieldops.api.ValidationException for an invalid username, a weak password or an
   *     unknown role
   * @throws org.fieldops.api.StateConflictException if the username is taken
   */
  User create(UserDraft draft, Caller caller);

  /**
   * @throws org.fieldops.api.NotFoundException if there is no such account
   */
  User get(String username);

  /** Accounts by username. */
  Page<User> list(PageRequest page);

  /**
   * Applies a JSON merge patch ({@code password}, {@code roles}, {@code disabled}) if the account
   * is still at {@code expectedVersion}. A change takes effect for the next request of that user:
   * cached credentials of the account are dropped.
   *
   * @throws org.fieldops.api.VersionMismatchException if the version is stale
   * @throws org.fieldops.api.ValidationException for an unknown, read-only or invalid field
   */
  User update(String username, long expectedVersion, Map<String, Object> patch, Caller caller);

  /**
   * Verifies a username and password. A successful verification is cached briefly (at most a
   * minute, dropped when the account changes) so that repeated requests do not pay a slow hash
   * each.
   *
   * @return the caller, or empty if the credentials are wrong or the account is disabled
   */
  Optional<Caller> authenticate(String username, String password);
}
