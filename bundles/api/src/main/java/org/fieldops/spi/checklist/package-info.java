/**
 * The checklist SPI: plugins contribute checklist templates for jobs. See {@link
 * org.fieldops.spi.checklist.ChecklistProvider} for the contract.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.spi.checklist;
