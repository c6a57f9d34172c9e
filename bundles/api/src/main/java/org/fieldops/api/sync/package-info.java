/**
 * Technicians' devices: uploading field events, applied exactly once per device and operation id.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.api.sync;
