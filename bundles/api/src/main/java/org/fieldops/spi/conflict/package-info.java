/**
 * The conflict policy SPI: plugins decide field conflicts between a technician's device and the
 * server. See {@link org.fieldops.spi.conflict.ConflictPolicy} for the contract.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.spi.conflict;
