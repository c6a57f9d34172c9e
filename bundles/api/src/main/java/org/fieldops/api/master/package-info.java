/** Master data: customers, their sites, equipment at the sites, and technicians. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.api.master;
