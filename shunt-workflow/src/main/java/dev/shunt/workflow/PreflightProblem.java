package dev.shunt.workflow;

import java.util.Objects;

/**
 * One problem a rollout's pre-flight found ({@link PreflightCheck}): on which host, by which
 * step, what is wrong and what to do.
 *
 * @param severity whether it stops the rollout
 * @param host the host it concerns
 * @param step the name of the step that found it
 * @param message what is wrong and what to do, for a person
 */
public record PreflightProblem(Severity severity, String host, String step, String message) {

  /** Whether a problem stops the rollout. */
  public enum Severity {
    /** The rollout may go on, but something will not work as well as it could (e.g. a drain that is only a fixed wait). */
    WARNING,
    /** The rollout would fail on this host, or do harm: it does not start. */
    ERROR
  }

  /**
   * Checks that no component is null.
   *
   * @param severity whether it stops the rollout
   * @param host the host it concerns
   * @param step the name of the step that found it
   * @param message what is wrong and what to do
   */
  public PreflightProblem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(message, "message");
  }

  /**
   * Whether it stops the rollout.
   *
   * @return true for an error, false for a warning
   */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code ERROR web-1 [haproxy-drain]: message}: one line for a person. */
  @Override
  public String toString() {
    return severity + " " + host + " [" + step + "]: " + message;
  }
}
