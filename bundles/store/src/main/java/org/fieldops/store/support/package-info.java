/**
 * Shared helpers of the core services, for core bundles only: input checks that collect every field
 * error, JSON merge patch onto draft records, keyset paging over JPA entities, and the strict JSON
 * mapping rules.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.fieldops.store.support;
