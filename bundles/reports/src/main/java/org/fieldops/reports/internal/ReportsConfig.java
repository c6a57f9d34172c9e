package org.fieldops.reports.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the reports ({@code etc/org.fieldops.reports.cfg}). */
@ObjectClassDefinition(name = "FieldOps reports", description = "Reports and their roll-ups")
public @interface ReportsConfig {
  String PID = "org.fieldops.reports";

  @AttributeDefinition(
      description =
          "Keep daily and monthly roll-ups of closed days and read long ranges from them"
              + " (false: every report reads the facts)")
  boolean rollupsEnabled() default true;

  @AttributeDefinition(description = "Seconds between two roll-up passes")
  int rollupPeriodSeconds() default 60;

  @AttributeDefinition(description = "Closed days kept rolled up (older ranges read the facts)")
  int rollupKeepDays() default 800;
}
