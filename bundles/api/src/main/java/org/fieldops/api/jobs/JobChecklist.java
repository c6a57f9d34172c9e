package org.fieldops.api.jobs;

import java.util.List;
import org.fieldops.spi.checklist.ChecklistTemplate;

/**
 * A checklist fixed on a job at dispatch: the template as it was then (with its version), who
 * contributed it, and the answers so far.
 *
 * @param provider the symbolic name of the bundle whose provider contributed the template
 * @param missing ids of required items without an answer yet
 */
public record JobChecklist(
    ChecklistTemplate template,
    String provider,
    List<ChecklistAnswer> answers,
    List<String> missing) {
  public JobChecklist {
    answers = List.copyOf(answers);
    missing = List.copyOf(missing);
  }
}
