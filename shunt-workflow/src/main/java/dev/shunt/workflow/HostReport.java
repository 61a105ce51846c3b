package dev.shunt.workflow;

import dev.shunt.ShuntStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a rollout went on one host.
 *
 * @param host the host
 * @param outcome done, failed, or not touched
 * @param steps the steps that ran, in order (none when untouched)
 * @param elapsed how long the host took
 * @param statusAfter the host's shunt status when the rollout left it
 */
public record HostReport(String host, Outcome outcome, List<StepReport> steps, Duration elapsed,
    ShuntStatus statusAfter) {

  /** What happened to a host. */
  public enum Outcome {
    /** Every step succeeded. */
    DONE,
    /** A step failed; the rollout left the host as {@code statusAfter} says. */
    FAILED,
    /** The rollout halted before it reached this host, which it did not touch. */
    UNTOUCHED
  }

  public HostReport {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(outcome, "outcome");
    steps = List.copyOf(steps);
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(statusAfter, "statusAfter");
  }

  /** The step that failed, if one did. */
  public Optional<StepReport> failedStep() {
    return steps.stream().filter(step -> !step.succeeded()).findFirst();
  }

  /** The time spent in the step named {@code step}, or zero if it did not run here. */
  public Duration timeIn(String step) {
    return steps.stream().filter(s -> s.step().equals(step)).map(StepReport::elapsed)
        .reduce(Duration.ZERO, Duration::plus);
  }
}
