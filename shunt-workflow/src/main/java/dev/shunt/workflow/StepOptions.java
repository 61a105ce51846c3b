package dev.shunt.workflow;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a rollout runs one of its steps: a time limit per host, and a {@link RetryPolicy}.
 *
 * <p>The time limit covers every attempt and the waits between them. When it passes, the rollout
 * interrupts the step (the built-in steps stop at once; a step of your own must stop when its
 * thread is interrupted) and reports it as timed out. It comes on top of any limit of the step's
 * own, such as {@link AwaitHttpStep}'s timeout; the plan shows both.
 *
 * <p>Defaults ({@link #none()}): no time limit beyond the step's own, no retry. Immutable and
 * thread-safe; the {@code with…} methods return changed copies.
 */
public final class StepOptions {
  private static final StepOptions NONE = new StepOptions(null, RetryPolicy.none());

  private final Duration timeout;
  private final RetryPolicy retry;

  private StepOptions(Duration timeout, RetryPolicy retry) {
    this.timeout = timeout;
    this.retry = retry;
  }

  /**
   * No time limit beyond the step's own, no retry.
   *
   * @return the options with no limit and no retry
   */
  public static StepOptions none() {
    return NONE;
  }

  /**
   * These options with a time limit per host, positive.
   *
   * @param timeout the limit per host; positive
   * @return a copy with the limit
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public StepOptions withTimeout(Duration timeout) {
    return new StepOptions(Durations.requirePositive("timeout", timeout), retry);
  }

  /**
   * These options with {@code retry}.
   *
   * @param retry the retry policy
   * @return a copy with the policy
   */
  public StepOptions withRetry(RetryPolicy retry) {
    return new StepOptions(timeout, Objects.requireNonNull(retry, "retry"));
  }

  /**
   * The time limit per host; empty for none beyond the step's own.
   *
   * @return the limit, or empty
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /**
   * How the step is retried.
   *
   * @return the retry policy
   */
  public RetryPolicy retry() {
    return retry;
  }

  @Override
  public String toString() {
    return "timeout " + (timeout == null ? "none" : timeout) + ", " + retry;
  }
}
