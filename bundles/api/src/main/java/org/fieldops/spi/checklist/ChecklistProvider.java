package org.fieldops.spi.checklist;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Contributes checklist templates to jobs. Register an implementation as an OSGi service; every
 * provider is asked, in {@code service.ranking} order (highest first, then lowest service id), and
 * all the templates they return apply (a template id returned twice is taken from the first
 * provider). The built-in provider, which reads template files from {@code
 * etc/fieldops/checklists/}, has ranking -100.
 *
 * <p><b>When.</b> {@link #templatesFor} is called once per job, when the job is first dispatched;
 * the returned templates are then fixed on the job with their versions. A provider deployed later
 * never changes the checklists of a job already dispatched.
 *
 * <p><b>Threading and time.</b> Calls come from any thread, possibly concurrently, never while the
 * platform holds a database transaction. A call must return within 2 seconds; it runs on a bounded
 * pool of this provider's own and is abandoned after that (its thread interrupted). An exception, a
 * {@code null} result, a {@code null} template, an invalid template or a timeout counts as "no
 * templates" from this provider, is logged with the provider's bundle, shows the provider as
 * FAILING in {@code GET /plugins}, and never stops the dispatch. After 5 failures in a row the
 * provider is skipped for 60 seconds (circuit breaker).
 *
 * <p><b>Answers.</b> The platform validates every answer against the item's type, range and choices
 * first; {@link #validate} may then refuse an answer for a reason of its own.
 */
@ConsumerType
public interface ChecklistProvider {

  /** The templates that apply to this job; empty if none. */
  List<ChecklistTemplate> templatesFor(ChecklistContext context);

  /**
   * Extra validation of an answer the platform already found well-typed. Only called for templates
   * this provider contributed.
   *
   * @param answer {@code Boolean}, {@code BigDecimal}, {@code String}, or for photos the SHA-256
   *     text
   * @return a message for the technician if the answer is refused, else empty
   */
  default Optional<String> validate(ChecklistTemplate template, ChecklistItem item, Object answer) {
    return Optional.empty();
  }
}
