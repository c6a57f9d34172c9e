/**
 * The price book: labor rates, parts and flat-rate tasks with their prices. Lines on jobs keep the
 * price in force when the server applied them; later price changes do not touch them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.api.pricebook;
