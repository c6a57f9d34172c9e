/**
 * The live dispatch board: one day's jobs per technician with each technician's sync state, read by
 * the office's board page together with the change log's stream.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.api.board;
