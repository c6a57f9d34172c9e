/**
 * Platform status: health of the server, its database and its plugin set, and the state of every
 * installed plugin ({@link org.fieldops.api.platform.PluginStatus}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.fieldops.api.platform;
