package dev.shunt;

import java.time.Clock;

/**
 * What a {@link Step} gets to work with on one host. Made by the engine that runs the step
 * (e.g. {@code shunt-workflow}'s rollout), one per step run.
 */
public interface StepContext {

  /**
   * The instance the step works on.
   *
   * @return the instance's key
   */
  InstanceKey key();

  /**
   * The host the step works on: {@code key().host()}.
   *
   * @return the host's name
   */
  default String host() {
    return key().host();
  }

  /**
   * The store that holds the instance's shunt status.
   *
   * @return the store of the engine running the step
   */
  StatusStore store();

  /**
   * The clock to measure time with.
   *
   * @return the clock of the engine running the step
   */
  Clock clock();

  /**
   * Reports one line of progress or output, shown with the host's name in front.
   *
   * @param line the text to show
   */
  void log(String line);

  /**
   * Says how the step ended (e.g. which condition ended a wait); shown in the report.
   *
   * @param description a few words, e.g. {@code drained after 4 s}
   */
  void outcome(String description);

  /**
   * Whether the rollout running the step was asked to stop. A step that has not changed anything
   * yet (e.g. one waiting for room in the disruption budget) may give up; a step past that point
   * should finish its work. Default: false, for engines that cannot cancel.
   *
   * @return true once the rollout was asked to stop
   */
  default boolean cancelRequested() {
    return false;
  }

  /**
   * The host's position in the list of hosts the engine works through, from 1 (e.g. for a
   * load balancer's server named {@code app-{index}}). Default: 0, for engines that have no list.
   *
   * @return the position from 1, or 0 without a list
   */
  default int hostIndex() {
    return 0;
  }

  /**
   * Which attempt at the step this is, from 1; above 1 when the engine retries it. Default: 1.
   *
   * @return the attempt, from 1
   */
  default int attempt() {
    return 1;
  }

  /**
   * Records a reading the step took now, e.g. the requests a load balancer still sends the host
   * while it drains, as one sample of the time series {@code series}; a rollout keeps the samples in
   * its report, which draws each series under its timeline. Default: ignored, for engines that keep
   * no series.
   *
   * @param series what was read, the same text for every sample of it, e.g.
   *     {@code haproxy app/web-1 sessions}
   * @param value the reading
   */
  default void measure(String series, double value) {}
}
