package dev.shunt.workflow;

import java.time.Duration;
import java.util.Objects;

/**
 * How one step went on one host.
 *
 * @param step the step's name
 * @param succeeded whether it returned normally
 * @param elapsed how long it ran
 * @param outcome how it ended: what the step said (e.g. which condition ended a wait) or, when it
 *     failed, the error
 */
public record StepReport(String step, boolean succeeded, Duration elapsed, String outcome) {
  public StepReport {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(outcome, "outcome");
  }
}
