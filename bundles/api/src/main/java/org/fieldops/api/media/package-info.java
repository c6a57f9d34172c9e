/**
 * Media: photos and signatures that technicians' devices upload, stored by the SHA-256 of their
 * bytes and referenced by the jobs that use them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.api.media;
