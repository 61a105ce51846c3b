package dev.shunt.workflow;

import dev.shunt.StepDescription;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How one step went on one host.
 *
 * @param step the step's name
 * @param result how it ended
 * @param elapsed how long it ran, every attempt and the waits between them included
 * @param outcome what the step said when it succeeded (e.g. which condition ended a wait), or
 *     else the error, the time limit that passed or the cancellation
 * @param attempts how many times it was tried, at least 1
 * @param kind what kind of work the step does, as its {@linkplain dev.shunt.Step#describe() description} says
 * @param start when its first attempt started
 */
public record StepReport(String step, Result result, Duration elapsed, String outcome, int attempts,
    StepDescription.Kind kind, Instant start) {

  /** How a step ended. */
  public enum Result {
    /** It returned normally. */
    SUCCEEDED,
    /** It threw. */
    FAILED,
    /** Its time limit, or the rollout's, passed and it was interrupted. */
    TIMED_OUT,
    /** The rollout was cancelled: the step gave up, or was interrupted by {@link RolloutRun#cancelNow()}. */
    CANCELLED
  }

  /**
   * Checks the components.
   *
   * @param step the step's name
   * @param result how it ended
   * @param elapsed how long it ran
   * @param outcome what the step said, or empty
   * @param attempts how many times it was tried, at least 1
   * @param kind what kind of work the step does
   * @param start when its first attempt started
   * @throws IllegalArgumentException if {@code attempts} is below 1
   */
  public StepReport {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(start, "start");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
    }
  }

  /**
   * When it ended: {@code start} plus {@code elapsed}.
   *
   * @return the end time
   */
  public Instant end() {
    return start.plus(elapsed);
  }

  /**
   * Whether it returned normally.
   *
   * @return true when it succeeded
   */
  public boolean succeeded() {
    return result == Result.SUCCEEDED;
  }
}
