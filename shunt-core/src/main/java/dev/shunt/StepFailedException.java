package dev.shunt;

/**
 * A {@link Step} did not succeed on a host: the message says which step, which host and why. Not
 * {@linkplain #retryable() retryable}, whatever its cause (a command that exited non-zero would
 * fail again), unless a subclass says otherwise.
 */
public class StepFailedException extends ShuntException {
  private static final long serialVersionUID = 1L;

  /**
   * A step failure that is not retryable.
   *
   * @param message what failed
   */
  public StepFailedException(String message) {
    super(message);
  }

  /**
   * A step failure caused by {@code cause}, not retryable.
   *
   * @param message what failed
   * @param cause what caused it, or null
   */
  public StepFailedException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * For a subclass whose failures can pass by itself, such as an SSH connection refused.
   *
   * @param message what failed
   * @param cause what caused it, or null
   * @param retryable whether running the step again may succeed
   */
  protected StepFailedException(String message, Throwable cause, boolean retryable) {
    super(message, cause, retryable);
  }
}
