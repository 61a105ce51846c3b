package dev.shunt.workflow;

import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import java.time.Clock;
import java.util.Objects;

/**
 * What a {@link PreflightCheck} gets for one host.
 *
 * @param key the instance: the rollout's service and the host
 * @param hostIndex the host's position in the rollout's list of hosts, from 1 (as
 *     {@link dev.shunt.StepContext#hostIndex()} gives it when the step runs)
 * @param store the rollout's store, to read (never to change)
 * @param clock the rollout's clock
 */
public record PreflightContext(InstanceKey key, int hostIndex, StatusStore store, Clock clock) {

  public PreflightContext {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    if (hostIndex < 1) {
      throw new IllegalArgumentException("hostIndex must be >= 1, was " + hostIndex);
    }
  }

  /** The host: {@code key().host()}. */
  public String host() {
    return key.host();
  }

  /** A problem that stops the rollout before it starts: {@code message} says what is wrong and what to do. */
  public PreflightProblem error(String step, String message) {
    return new PreflightProblem(PreflightProblem.Severity.ERROR, host(), step, message);
  }

  /** A problem the rollout may go on with (an error under {@link Rollout.Builder#strictPreflight}). */
  public PreflightProblem warning(String step, String message) {
    return new PreflightProblem(PreflightProblem.Severity.WARNING, host(), step, message);
  }
}
