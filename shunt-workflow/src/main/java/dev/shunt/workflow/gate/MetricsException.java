package dev.shunt.workflow.gate;

import dev.shunt.ShuntException;

/**
 * A {@link MetricsSource} could not read its counters: the source cannot be reached, answered
 * something else than its metrics, or does not know a host. The message names the source, the
 * host and what to do. Before a rollout it is a pre-flight error; during one it halts the rollout
 * (a gate that cannot see does not guess).
 */
public class MetricsException extends ShuntException {
  private static final long serialVersionUID = 1L;

  public MetricsException(String message) {
    super(message);
  }

  public MetricsException(String message, Throwable cause) {
    super(message, cause);
  }
}
