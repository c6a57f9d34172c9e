package org.fieldops.shell.internal;

import java.util.Arrays;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.fieldops.api.jobs.JobStatus;

/** Tab completion of {@code --status} with the job statuses. */
@Service
public class JobStatusCompleter implements Completer {
  private final StringsCompleter statuses =
      new StringsCompleter(Arrays.stream(JobStatus.values()).map(Enum::name).toList());

  @Override
  public int complete(Session session, CommandLine commandLine, List<String> candidates) {
    return statuses.complete(session, commandLine, candidates);
  }
}
