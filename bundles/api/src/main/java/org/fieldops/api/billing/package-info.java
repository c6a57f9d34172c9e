/**
 * Billing: invoices drafted from completed jobs, finance's approval with gapless numbering, and the
 * outbox of exports to the accounting system.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.api.billing;
