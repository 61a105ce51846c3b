package dev.shunt;

import java.util.Objects;

/**
 * One unit of work on one host: shunt it, wait for the drain, restart it, wait until it is
 * ready, unshunt it. Steps are composed into rollouts by {@code shunt-workflow}, which wraps them
 * with timeouts, retries and reports.
 *
 * <p>A step succeeds by returning and fails by throwing; a {@link StepFailedException} carries
 * a message meant for the operator. Implementations should be immutable and thread-safe: one
 * step object runs on many hosts, possibly at once. A step that waits or runs for long must stop
 * when its thread is interrupted (the engine interrupts it when its time is up), and may look at
 * {@link StepContext#cancelRequested()} to give up before it changes anything.
 */
@FunctionalInterface
public interface Step {

  /**
   * Does the work on {@code context.host()}.
   *
   * @param context the host, store and clock the step works with
   * @throws Exception any failure; the engine reports it and decides whether to retry
   */
  void run(StepContext context) throws Exception;

  /**
   * A short name for progress lines and reports, e.g. {@code shunt} or {@code await-http}.
   *
   * @return the step's name
   */
  default String name() {
    return "step";
  }

  /**
   * What the step does and its settings, for a rollout's plan. Steps with a time limit of their
   * own, or that drain or wait for readiness, should say so. Default: {@link #name()}, kind
   * {@link StepDescription.Kind#OTHER}, no time limit.
   *
   * @return the step's description
   */
  default StepDescription describe() {
    return StepDescription.of(name(), StepDescription.Kind.OTHER);
  }

  /**
   * A step named {@code name} that runs {@code body}.
   *
   * @param name the step's name
   * @param body what the step does
   * @return a step with that name
   */
  static Step named(String name, Step body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    return new Step() {
      @Override
      public void run(StepContext context) throws Exception {
        body.run(context);
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
