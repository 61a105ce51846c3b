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

  /**
   * Checks the components.
   *
   * @param key the instance; not null
   * @param hostIndex the host's position, from 1
   * @param store the rollout's store; not null
   * @param clock the rollout's clock; not null
   * @throws IllegalArgumentException if {@code hostIndex} is below 1
   */
  public PreflightContext {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    if (hostIndex < 1) {
      throw new IllegalArgumentException("hostIndex must be >= 1, was " + hostIndex);
    }
  }

  /**
   * The host: {@code key().host()}.
   *
   * @return the host's name
   */
  public String host() {
    return key.host();
  }

  /**
   * A problem that stops the rollout before it starts: {@code message} says what is wrong and what to do.
   *
   * @param step the name of the step that found it
   * @param message what is wrong and what to do
   * @return an error about this host
   */
  public PreflightProblem error(String step, String message) {
    return new PreflightProblem(PreflightProblem.Severity.ERROR, host(), step, message);
  }

  /**
   * A problem the rollout may go on with (an error under {@link Rollout.Builder#strictPreflight}).
   *
   * @param step the name of the step that found it
   * @param message what is wrong and what to do
   * @return a warning about this host
   */
  public PreflightProblem warning(String step, String message) {
    return new PreflightProblem(PreflightProblem.Severity.WARNING, host(), step, message);
  }
}
