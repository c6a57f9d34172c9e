/**
 * The accounting connector SPI: plugins push approved and voided invoices to an accounting system.
 * See {@link org.fieldops.spi.accounting.AccountingConnector} for the contract.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.spi.accounting;
