package dev.shunt;

/**
 * The root of every exception shunt throws. Unchecked: a caller who wants to handle shunt's
 * failures catches this one type; a caller who does not is not forced to. The cause, when there
 * is one, is always kept.
 *
 * <p>Each failure a caller handles differently has its own type, and every one says through
 * {@link #retryable()} whether it can pass by itself, so that the same call may succeed when made
 * again without anyone changing anything. A rollout's {@code RetryPolicy} retries exactly the
 * retryable ones; nothing else decides it.
 *
 * <table>
 *   <caption>The types and when each is retryable</caption>
 *   <tr><th>Type</th><th>Thrown when</th><th>Retryable</th></tr>
 *   <tr><td>{@link StoreException}</td><td>a status store or deploy lock failed in the system behind
 *       it (a cluster, the flag-file directory)</td><td>when the store says the failure may pass: a
 *       member left, a connection dropped, a call timed out, a file lock could not be taken for
 *       now; never for permission denied, a link or a file that is not regular, a closed
 *       store</td></tr>
 *   <tr><td>{@link BudgetExceededException}</td><td>the disruption budget refused a shunt</td>
 *       <td>no (the shunt step waits for room itself)</td></tr>
 *   <tr><td>{@link LockHeldException}</td><td>someone else holds the deploy lock</td><td>no</td></tr>
 *   <tr><td>{@link StepFailedException}</td><td>a step did not succeed on a host</td><td>no</td></tr>
 *   <tr><td>{@link ShuntTimeoutException}</td><td>a step waited its full time limit</td><td>no</td></tr>
 *   <tr><td>{@code SshException}</td><td>an SSH step failed</td><td>a refused connection, a connect
 *       timeout, a network failure before the command started; never host keys, credentials or a
 *       failed command</td></tr>
 *   <tr><td>{@code LoadBalancerException}</td><td>a load balancer could not be asked or refused</td>
 *       <td>when it could not be reached (connection refused, no route, no answer in time); never a
 *       refused command or an unknown server</td></tr>
 *   <tr><td>{@code MetricsException}</td><td>a gate's metrics source could not be read</td>
 *       <td>when the source could not be reached; never an answer it cannot understand</td></tr>
 *   <tr><td>{@code PreflightFailedException}, {@code RolloutCancelledException}</td><td>a rollout did
 *       not start, or was cancelled</td><td>no</td></tr>
 *   <tr><td>{@code ShuntException} itself</td><td>anything else (a port that cannot be bound, a
 *       host name that cannot be learned)</td><td>only as its cause: see below</td></tr>
 * </table>
 *
 * <p>A {@code ShuntException} made with a cause that is itself a {@code ShuntException} only adds
 * context, and is as retryable as that cause; made without a cause, or with another cause, it is
 * not retryable. Errors that belong to the caller rather than to a system shunt talks to (a bad
 * argument, a bad configuration) are {@link IllegalArgumentException} or
 * {@link IllegalStateException}, never retryable.
 */
public class ShuntException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Whether the failure can pass by itself: {@link #retryable()}. */
  private final boolean retryable;

  /**
   * A failure that is not retryable.
   *
   * @param message what failed
   */
  public ShuntException(String message) {
    this(message, null, false);
  }

  /**
   * A failure caused by {@code cause}: retryable exactly when {@code cause} is a retryable
   * {@code ShuntException}, to which this only adds context.
   *
   * @param message what failed
   * @param cause what caused it, or null
   */
  public ShuntException(String message, Throwable cause) {
    this(message, cause, cause instanceof ShuntException shunt && shunt.retryable());
  }

  /**
   * A failure whose thrower says whether it can pass by itself, e.g. a step of one's own that
   * could not reach a service that is restarting.
   *
   * @param message what failed
   * @param cause what caused it, or null
   * @param retryable whether making the same call again may succeed
   */
  public ShuntException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /**
   * Whether the failure can pass by itself, so that making the same call again may succeed without
   * anyone changing anything. Decided when the exception is made (see the table above); whether
   * a failed call took effect is then unknown, so only calls that give the same result when made
   * twice are retried.
   *
   * @return true when the same call may succeed if made again
   */
  public boolean retryable() {
    return retryable;
  }
}
