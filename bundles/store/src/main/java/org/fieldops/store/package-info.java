/**
 * The FieldOps store, for core bundles only (never for plugins): JPA entities, the transaction
 * helper {@link org.fieldops.store.Database} and id generation. Entities never leave the core:
 * services map them to the API's records.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.fieldops.store;
