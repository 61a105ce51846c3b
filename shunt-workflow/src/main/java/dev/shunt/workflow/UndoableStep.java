package dev.shunt.workflow;

import dev.shunt.Step;
import dev.shunt.StepContext;
import java.util.List;

/**
 * A step whose change keeps its host out of rotation beyond the step itself, somewhere the
 * health-check shunt does not reach (e.g. {@link dev.shunt.workflow.lb.LoadBalancerStep#takeOut()}
 * takes the host's server out of load balancers), and that says how to undo that change.
 *
 * <p>A {@link Rollout} uses it when a host ends without finishing its steps, for every such step
 * that had started on the host:
 * <ul>
 *   <li>when it puts the host back in rotation ({@link Rollout.Builder#onFailure onFailure}
 *       {@link FailurePolicy#UNSHUNT}; a host stopped while it waited for the batch before,
 *       {@link Rollout.Builder#overlapRotation}): it unshunts the host, then runs {@link #undo},
 *       the steps in reverse order; whatever could not be undone is reported
 *       ({@link HostReport#leftOut()}), never hidden;
 *   <li>when it leaves the host out ({@link FailurePolicy#LEAVE_SHUNTED}, a cancel): it asks
 *       {@link #stillInPlace} and reports where the host is still out.
 * </ul>
 * {@link Rollout#cleanUp()} runs {@link #undo} on every host a crashed rollout left started or
 * failed, where {@link #stillInPlace} finds the change.
 *
 * <p>Both methods must be idempotent and safe on a host where {@link #run} did nothing or only part
 * of its work. Implementations are immutable and thread-safe, like every step.
 */
public interface UndoableStep extends Step {

  /**
   * Undoes on {@code context.host()} what {@link #run} changed and left in place, wherever it can,
   * trying every place even when one fails. Logs what it did ({@link StepContext#log}).
   *
   * @param context the host, store and clock
   * @return where it could not undo it, each with why (e.g. {@code haproxy tcp:lb-2:9999 server
   *     web-1: cannot be reached …}); empty when it is undone everywhere
   */
  List<String> undo(StepContext context);

  /**
   * Where what {@link #run} changed still holds on {@code context.host()} now, in the words of the
   * place (e.g. {@code haproxy unix:/run/haproxy/admin.sock: web/web-1: DRAIN with 0 sessions}); a
   * place that cannot be asked is listed, with why. Changes nothing.
   *
   * @param context the host, store and clock
   * @return empty when nothing is left in place
   */
  List<String> stillInPlace(StepContext context);
}
