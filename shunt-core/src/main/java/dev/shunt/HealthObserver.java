package dev.shunt;

import dev.shunt.HealthResponder.ShutdownOutcome;

/**
 * Hears what a {@link HealthResponder} tells its load balancers, for metrics or an audit trail:
 * added with {@link HealthResponder#addObserver}. {@code dev.shunt.micrometer.HealthResponderMetrics}
 * is one, counting answers in Micrometer. Every method has an empty default; implement the ones
 * you need.
 *
 * <p>Called on the thread that answered the check, after the answer was sent and before it is
 * recorded, so an observer hears the last NACK of a shutdown before the shutdown completes. Keep
 * it quick: the check's thread waits for it. It may be called from many threads at once, so it
 * must be thread-safe. One that throws is logged and otherwise ignored: it never fails a check.
 */
public interface HealthObserver {

  /** Which kind of check was answered. */
  enum Check {
    /** An HTTP health check, answered by the responder or, passed through, by the application. */
    HTTP,
    /** An HAProxy agent check, answered by an {@link AgentCheckResponder}. */
    AGENT
  }

  /**
   * A check was answered.
   *
   * @param check the kind of check
   * @param state the responder's state when it decided the answer
   * @param nack whether the answer said "down" in any way: for the responder's own answers,
   *     {@link HealthState#isNack() state.isNack()} (an agent's {@code drain} included); for a
   *     check {@linkplain HealthResponder.Builder#passThrough passed through} to the application
   *     (state {@link HealthState#IN_ROTATION}), whether the application's status was outside
   *     200–399 or its handler threw
   */
  default void answered(Check check, HealthState state, boolean nack) {}

  /**
   * {@link HealthResponder#startShutdown()} completed, for {@code outcome}: once per responder, just
   * before the future it returned completes (and so before its callbacks run).
   *
   * @param outcome how the shutdown ended
   */
  default void shutdownCompleted(ShutdownOutcome outcome) {}
}
