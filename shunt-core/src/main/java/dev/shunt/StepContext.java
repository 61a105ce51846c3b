package dev.shunt;

import java.time.Clock;

/**
 * What a {@link Step} gets to work with on one host. Made by the engine that runs the step
 * (e.g. {@code shunt-workflow}'s rollout), one per step run.
 */
public interface StepContext {

  /** The instance the step works on. */
  InstanceKey key();

  /** The host the step works on: {@code key().host()}. */
  default String host() {
    return key().host();
  }

  /** The store that holds the instance's shunt status. */
  StatusStore store();

  /** The clock to measure time with. */
  Clock clock();

  /** Reports one line of progress or output, shown with the host's name in front. */
  void log(String line);

  /** Says how the step ended (e.g. which condition ended a wait); shown in the report. */
  void outcome(String description);
}
