package org.fieldops.api.platform;

/** The three SPIs a plugin can implement. */
public enum PluginKind {
  /** {@code org.fieldops.spi.checklist.ChecklistProvider} */
  CHECKLIST_PROVIDER,
  /** {@code org.fieldops.spi.conflict.ConflictPolicy} */
  CONFLICT_POLICY,
  /** {@code org.fieldops.spi.accounting.AccountingConnector} */
  ACCOUNTING_CONNECTOR
}
