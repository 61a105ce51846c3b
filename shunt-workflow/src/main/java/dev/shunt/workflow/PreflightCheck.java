package dev.shunt.workflow;

import java.util.List;

/**
 * What a {@link dev.shunt.Step} can check before a rollout touches anything: that the load
 * balancer knows the host, that its URL is valid, that its name resolves, that its SSH host key is
 * known, that a load balancer checks it. A step implements this interface beside
 * {@link dev.shunt.Step}; the {@link Rollout} asks it once per host it will work on, before the
 * first shunt and before it takes the deploy lock, and refuses to start when any problem is an
 * {@linkplain PreflightProblem.Severity#ERROR error} ({@link PreflightFailedException});
 * {@link Rollout#plan()} shows the same problems.
 *
 * <p>The steps of a {@link dev.shunt.ClusterGate} (from modules that cannot see this interface,
 * such as {@code shunt-hazelcast}'s {@code ClusterSafety}) take part as well: the rollout asks
 * each gate's {@link dev.shunt.ClusterGate#preflight()} once and reports what it finds on the first
 * host it would touch.
 *
 * <p>A check must change nothing and be quick (one question to a load balancer, a name lookup).
 * A check that throws is reported as an error of the step. Implementations are called from one
 * thread at a time, but may be called again for another plan or run.
 */
@FunctionalInterface
public interface PreflightCheck {

  /**
   * The problems this step would meet on {@code context.host()}; empty when it sees none.
   * Make them with {@link PreflightContext#error} and {@link PreflightContext#warning}, saying what
   * is wrong and what to do.
   *
   * @param context the host and the rollout's store and clock
   * @return the problems; empty when none
   */
  List<PreflightProblem> preflight(PreflightContext context);
}
