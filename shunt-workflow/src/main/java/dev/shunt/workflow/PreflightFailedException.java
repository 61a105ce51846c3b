package dev.shunt.workflow;

import dev.shunt.ShuntException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A rollout's pre-flight found errors ({@link PreflightCheck}): the rollout did not start, and
 * nothing was touched (no shunt, no deploy lock, no journal). The message lists every problem
 * found, one per line, warnings included.
 */
public final class PreflightFailedException extends ShuntException {
  private static final long serialVersionUID = 1L;

  /** The service whose rollout did not start. */
  private final String service;
  private final transient List<PreflightProblem> problems;

  /**
   * A rollout of {@code service} that did not start; the message lists every problem.
   *
   * @param service the service's name
   * @param problems every problem found, errors and warnings
   */
  public PreflightFailedException(String service, List<PreflightProblem> problems) {
    super("pre-flight of the rollout of " + service + " found " + problems.stream().filter(PreflightProblem::isError)
        .count() + " error(s); nothing was touched:\n" + problems.stream().map(PreflightProblem::toString)
        .collect(Collectors.joining("\n")));
    this.service = service;
    this.problems = List.copyOf(problems);
  }

  /**
   * The service whose rollout did not start.
   *
   * @return the service's name
   */
  public String service() {
    return service;
  }

  /**
   * Every problem found, errors and warnings, by host in the rollout's order.
   *
   * @return the problems, unmodifiable; empty after deserialization
   */
  public List<PreflightProblem> problems() {
    return problems;
  }
}
