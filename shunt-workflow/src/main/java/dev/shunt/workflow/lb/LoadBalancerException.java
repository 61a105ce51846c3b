package dev.shunt.workflow.lb;

import dev.shunt.ShuntException;

/**
 * A {@link LoadBalancer} could not do what it was asked: it cannot be reached, does not know the
 * server, refused the command, or did not answer in time. The message names the load balancer,
 * the server and what to do; the cause, if any, is kept.
 *
 * <p>{@linkplain #retryable() Retryable} when the load balancer could not be reached for now
 * (connection refused, no route to it, no answer within the socket's timeout), as while it
 * restarts or reloads; not when it answered and refused the command, does not know the server,
 * or a local command it runs failed.
 */
public class LoadBalancerException extends ShuntException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure that is not retryable.
   *
   * @param message what failed
   */
  public LoadBalancerException(String message) {
    super(message);
  }

  /**
   * Retryable exactly when {@code cause} is a retryable {@link ShuntException}.
   *
   * @param message what failed
   * @param cause what caused it, or null
   */
  public LoadBalancerException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A failure whose thrower says whether it can pass by itself.
   *
   * @param message what failed
   * @param cause what caused it, or null
   * @param retryable whether the same call may succeed if made again
   */
  public LoadBalancerException(String message, Throwable cause, boolean retryable) {
    super(message, cause, retryable);
  }
}
