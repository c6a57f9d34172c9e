/**
 * Shared helpers of the core services, for core bundles only: input checks that collect every field
 * error, JSON merge patch onto draft records, keyset paging over JPA entities, the strict JSON
 * mapping rules, the guard around every call into a plugin ({@link GuardedPlugin}), and the
 * after-commit signal to the change sequencer ({@link ChangeSignals}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.fieldops.store.support;
