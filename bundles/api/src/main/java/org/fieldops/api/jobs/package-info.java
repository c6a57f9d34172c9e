/**
 * Work orders ("jobs"): the office's record that dispatch, technicians' sync and billing all read
 * and write, its status machine, assignment, audit trail and the global change log.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.api.jobs;
