/** Platform status: health of the server, its database and its plugin set. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.api.platform;
