package dev.shunt.workflow.gate;

import dev.shunt.ShuntException;

/**
 * A {@link MetricsSource} could not read its counters: the source cannot be reached, answered
 * something else than its metrics, or does not know a host. The message names the source, the
 * host and what to do. Before a rollout it is a pre-flight error; during one it halts the rollout
 * (a gate that cannot see does not guess).
 *
 * <p>{@linkplain #retryable() Retryable} when the source could not be reached for now (connection
 * refused, no answer in time); not when it answered something that is not its metrics or does not
 * know the host.
 */
public class MetricsException extends ShuntException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure that is not retryable.
   *
   * @param message what failed
   */
  public MetricsException(String message) {
    super(message);
  }

  /**
   * Retryable exactly when {@code cause} is a retryable {@link ShuntException}.
   *
   * @param message what failed
   * @param cause what caused it, or null
   */
  public MetricsException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A failure whose thrower says whether it can pass by itself.
   *
   * @param message what failed
   * @param cause what caused it, or null
   * @param retryable whether reading again may succeed
   */
  public MetricsException(String message, Throwable cause, boolean retryable) {
    super(message, cause, retryable);
  }
}
