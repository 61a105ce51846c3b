package dev.shunt;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A cluster that a rolling restart must not take apart, such as the Hazelcast cluster whose
 * members are the hosts' applications: its two {@linkplain StepDescription.Kind#GATE gate} steps
 * go around each host's restart. {@link #beforeRestart()} waits until the cluster can lose a
 * member without losing data; {@link #afterReadiness()} waits until the restarted host's member
 * is back (the cluster has its full size again) and the cluster is safe again. A gate that does
 * not open within its timeout fails its step, which halts the rollout like any failed step.
 *
 * <p>{@code shunt-hazelcast}'s {@code ClusterSafety} is one; {@link OpenedStore#clusterGate()}
 * offers the gate that belongs with an opened store, so a command line can set one up from a
 * store spec without knowing the store's module. A rollout of {@code shunt-workflow} finds the gate
 * of its gate steps ({@link GateStep#gate()}) and asks its {@link #preflight()} once, before it
 * touches anything.
 *
 * <p>Implementations are immutable and thread-safe: one gate's steps run on many hosts.
 */
public interface ClusterGate {

  /**
   * The step to run just before a host's restart: waits until the cluster is safe.
   *
   * @return the step that waits before a restart
   */
  GateStep beforeRestart();

  /**
   * The step to run just after a host's readiness: waits until the cluster has its expected
   * number of members again and is safe.
   *
   * @return the step that waits after readiness
   */
  GateStep afterReadiness();

  /**
   * What is wrong with the cluster now for a rollout to start, each problem a sentence for a
   * person; empty when nothing is. Changes nothing.
   *
   * @return the problems found, errors and warnings; empty when the rollout may start cleanly
   * @throws ShuntException if the cluster cannot be asked
   */
  List<Problem> preflight();

  /**
   * This gate with each wait limited to {@code timeout} (positive).
   *
   * @param timeout the longest each wait may take; positive
   * @return a new gate; this one is unchanged
   */
  ClusterGate withTimeout(Duration timeout);

  /**
   * This gate asking the cluster every {@code pollInterval} (positive) while it waits.
   *
   * @param pollInterval the time between two questions; positive
   * @return a new gate; this one is unchanged
   */
  ClusterGate withPollInterval(Duration pollInterval);

  /**
   * This gate expecting the cluster to have {@code members} (at least 1) members after each restart.
   *
   * @param members the expected member count, at least 1
   * @return a new gate; this one is unchanged
   */
  ClusterGate withExpectedMembers(int members);

  /** A step of a {@link ClusterGate}, which it names, so that a rollout's pre-flight can find the gate. */
  interface GateStep extends Step {

    /**
     * The gate the step belongs to.
     *
     * @return the gate that made this step
     */
    ClusterGate gate();
  }

  /**
   * One problem {@link #preflight()} found.
   *
   * @param error whether the rollout must not start (else it may, e.g. because the gate will wait)
   * @param message what is wrong and what to do
   */
  record Problem(boolean error, String message) {

    /**
     * A problem; see the record's components.
     *
     * @param error whether the rollout must not start
     * @param message what is wrong and what to do; not null
     */
    public Problem {
      Objects.requireNonNull(message, "message");
    }

    /**
     * A problem the rollout must not start with.
     *
     * @param message what is wrong and what to do; not null
     * @return a problem with {@code error} true
     */
    public static Problem error(String message) {
      return new Problem(true, message);
    }

    /**
     * A problem the rollout may start with.
     *
     * @param message what is wrong and what to do; not null
     * @return a problem with {@code error} false
     */
    public static Problem warning(String message) {
      return new Problem(false, message);
    }
  }
}
