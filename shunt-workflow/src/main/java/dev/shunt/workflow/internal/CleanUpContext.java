package dev.shunt.workflow.internal;

import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.StepContext;

/**
 * What an {@link dev.shunt.workflow.UndoableStep} gets when {@link dev.shunt.workflow.Rollout#cleanUp()}
 * undoes it on a host, outside any run: the host, its position in the rollout's hosts (0 when the
 * rollout no longer lists it), the store and clock, and the listener's log.
 */
public record CleanUpContext(RolloutConfig config, InstanceKey key, int hostIndex) implements StepContext {

  /** The context for {@code host} in {@code config}'s rollout. */
  public static CleanUpContext of(RolloutConfig config, String host) {
    return new CleanUpContext(config, InstanceKey.of(config.service(), host), config.hosts().indexOf(host) + 1);
  }

  @Override
  public StatusStore store() {
    return config.store();
  }

  @Override
  public java.time.Clock clock() {
    return config.clock();
  }

  @Override
  public void log(String line) {
    config.listener().log(key.host(), line);
  }

  @Override
  public void outcome(String description) {}
}
