package dev.shunt.workflow;

import dev.shunt.ShuntStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a rollout went on one host.
 *
 * @param host the host's name
 * @param batch the number of the host's batch, from 1; 0 when it was skipped
 * @param outcome what happened to it
 * @param steps the steps that ran, in order, hooks included (none when untouched or skipped)
 * @param elapsed how long the host took
 * @param statusAfter the host's shunt status when the rollout left it
 * @param note why a host was skipped (the rollout that finished it), otherwise empty
 * @param leftOut where the rollout left the host out of rotation besides its shunt status, each
 *     place in its own words, e.g. {@code haproxy unix:/run/haproxy/admin.sock: web/web-1: DRAIN with 0
 *     sessions}: what an {@link UndoableStep} (a load balancer's take-out) still holds, or could not
 *     undo; empty when there is none
 */
public record HostReport(String host, int batch, Outcome outcome, List<StepReport> steps, Duration elapsed,
    ShuntStatus statusAfter, String note, List<String> leftOut) {

  /** What happened to a host. */
  public enum Outcome {
    /** Every step succeeded. */
    DONE,
    /** A step failed or timed out; the rollout left the host as {@code statusAfter} says. */
    FAILED,
    /**
     * The rollout was cancelled while it worked on the host: a step gave up before it changed
     * anything, or {@link RolloutRun#cancelNow()} interrupted a step, leaving the host as
     * {@code statusAfter} says. Also a host that the rollout stopped, for any reason, while it
     * waited for the batch before ({@link Rollout.Builder#overlapRotation}): shunted and drained
     * only, it was put back in rotation.
     */
    CANCELLED,
    /** The rollout stopped before it reached this host, which it did not touch: still in rotation. */
    UNTOUCHED,
    /** An earlier rollout of the same service finished this host, as its journal says; resumed past it. */
    SKIPPED
  }

  /**
   * Checks that no component is null and copies the lists.
   *
   * @param host the host's name
   * @param batch the host's batch, from 1; 0 when skipped
   * @param outcome what happened to it
   * @param steps the steps that ran, in order
   * @param elapsed how long the host took
   * @param statusAfter its shunt status when the rollout left it
   * @param note why it was skipped, otherwise empty
   * @param leftOut where it was left out of rotation besides its shunt status
   */
  public HostReport {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(outcome, "outcome");
    steps = List.copyOf(steps);
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(statusAfter, "statusAfter");
    Objects.requireNonNull(note, "note");
    leftOut = List.copyOf(leftOut);
  }

  /**
   * A report of a host left out of rotation nowhere but, maybe, by its shunt status.
   *
   * @param host the host's name
   * @param batch the host's batch, from 1; 0 when skipped
   * @param outcome what happened to it
   * @param steps the steps that ran, in order
   * @param elapsed how long the host took
   * @param statusAfter its shunt status when the rollout left it
   * @param note why it was skipped, otherwise empty
   */
  public HostReport(String host, int batch, Outcome outcome, List<StepReport> steps, Duration elapsed,
      ShuntStatus statusAfter, String note) {
    this(host, batch, outcome, steps, elapsed, statusAfter, note, List.of());
  }

  /**
   * Whether the rollout left the host in rotation: not shunted, and out of no load balancer ({@link #leftOut()}).
   *
   * @return true when the host is in rotation everywhere
   */
  public boolean inRotation() {
    return !statusAfter.shunted() && leftOut.isEmpty();
  }

  /**
   * The step that did not succeed, if one did not.
   *
   * @return the failed step's report, or empty
   */
  public Optional<StepReport> failedStep() {
    return steps.stream().filter(step -> !step.succeeded()).findFirst();
  }

  /**
   * The time spent in the step named {@code step}, or zero if it did not run here.
   *
   * @param step the step's name
   * @return the time spent, summed over its runs
   */
  public Duration timeIn(String step) {
    return steps.stream().filter(s -> s.step().equals(step)).map(StepReport::elapsed)
        .reduce(Duration.ZERO, Duration::plus);
  }
}
