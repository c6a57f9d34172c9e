/**
 * Reports: what the office and finance learn from the field, computed in the database from the
 * stored facts (server times for status moves and uploads), as tables that serialize to JSON and
 * CSV alike.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.api.reports;
