package org.fieldops.api.master;

import java.util.Map;
import org.fieldops.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What every kind of master data offers: create, get, and a versioned merge-patch update.
 * Thread-safe; each call is one short transaction.
 *
 * @param <R> the stored record
 * @param <D> the draft a caller sends to create one
 */
@ProviderType
public interface MasterDataService<R, D> {

  /**
   * Validates and stores a new record (version 1).
   *
   * @throws org.fieldops.api.ValidationException naming every field at fault
   */
  R create(D draft, Caller caller);

  /**
   * @throws org.fieldops.api.NotFoundException if there is no such record
   */
  R get(String id);

  /**
   * Applies a JSON merge patch (RFC 7396) to the record if it is still at {@code expectedVersion};
   * the version goes up by one. The same validation as on creation applies to the result.
   *
   * @param patch the parsed JSON object; a {@code null} value clears an optional field
   * @throws org.fieldops.api.NotFoundException if there is no such record
   * @throws org.fieldops.api.VersionMismatchException if the record changed since that version
   * @throws org.fieldops.api.ValidationException for an unknown or read-only field or an invalid
   *     value
   */
  R update(String id, long expectedVersion, Map<String, Object> patch, Caller caller);
}
