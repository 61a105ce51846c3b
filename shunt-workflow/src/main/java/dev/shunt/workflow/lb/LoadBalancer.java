package dev.shunt.workflow.lb;

import dev.shunt.workflow.PreflightContext;
import dev.shunt.workflow.PreflightProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * A load balancer that shunt drives directly, through its own API, instead of (or beside) making
 * the host's health check answer "down": take a server out, see it drained, put it back, see it in
 * rotation. {@link LoadBalancerStep#takeOut()} and {@link LoadBalancerStep#putBack()} run these
 * calls in a {@link dev.shunt.workflow.Rollout}, on one or several load balancers; adapters exist
 * for HAProxy's runtime API ({@link HaproxyLoadBalancer}), Varnish ({@link VarnishLoadBalancer}),
 * nginx ({@link NginxLoadBalancer}) and Caddy ({@link CaddyLoadBalancer}, which confirms a drain the
 * health-check shunt made).
 *
 * <p><b>Servers.</b> Each method names one server as <em>this</em> load balancer knows it, e.g.
 * {@code web/web-1} for an HAProxy backend and server, {@code 10.0.0.1:8080} for an nginx upstream
 * server. A {@link ServerTemplate} makes that name from the host being rolled.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>{@link #takeOut} returns as soon as the load balancer has accepted the change; from then
 *       on it sends the server no new request (persistent or sticky traffic aside, where the
 *       adapter says so). Requests in progress go on: waiting for them is {@link #state}'s
 *       {@link ServerState#drained()}. Idempotent: a server that is out already (taken out before,
 *       down by its health checks, in maintenance) stays out, with no error and no wait.
 *   <li>{@link #putBack} undoes {@link #takeOut} and returns as soon as the load balancer accepted
 *       it; {@link ServerState#inRotation()} says when traffic flows again (a load balancer may
 *       want its health checks to pass first). Idempotent.
 *   <li>{@link #state} asks, changes nothing, and is quick enough to poll every 100 ms.
 *   <li>None of them waits for long: each is bounded by the adapter's own timeout.
 *   <li>Every failure is a {@link LoadBalancerException} whose message names the load balancer
 *       ({@link #name()}), the server and what went wrong: cannot be reached, no such server,
 *       command refused (e.g. a socket without admin rights), timed out.
 * </ul>
 *
 * <p>Implementations are immutable and thread-safe: the hosts of a batch call them at once.
 */
public interface LoadBalancer {

  /**
   * Names this load balancer in progress lines, plans, reports and error messages, e.g.
   * {@code haproxy unix:/run/haproxy/admin.sock}. Holds no secret.
   *
   * @return a short name, e.g. {@code haproxy unix:/run/haproxy/admin.sock}
   */
  String name();

  /**
   * Takes {@code server} out of rotation; returns without waiting for its requests to end.
   *
   * @param server the server's name, as the load balancer names it
   * @throws LoadBalancerException if the load balancer cannot be reached, does not know the
   *     server, or refuses
   */
  void takeOut(String server);

  /**
   * Puts {@code server} back in rotation; returns without waiting for traffic to flow.
   *
   * @param server the server's name, as the load balancer names it
   * @throws LoadBalancerException if the load balancer cannot be reached, does not know the
   *     server, or refuses
   */
  void putBack(String server);

  /**
   * What the load balancer says about {@code server} now. Changes nothing.
   *
   * @param server the server's name, as the load balancer names it
   * @return the server's state
   * @throws LoadBalancerException if the load balancer cannot be reached or does not know the server
   */
  ServerState state(String server);

  /**
   * What a rollout would meet on {@code server}, before it touches anything: errors (it cannot
   * reach the load balancer, the load balancer does not know the server, would refuse the
   * commands) and warnings (the server is out of rotation already, so the rollout would put back
   * a server someone else took out). Changes nothing.
   *
   * <p>The default asks {@link #state}: a {@link LoadBalancerException} is an error, a server not
   * in rotation a warning. Adapters add what else they can check without changing anything
   * (e.g. the rights of HAProxy's socket).
   *
   * @param context the host being checked, to make problems with
   * @param step the name of the step that asks, for the problems
   * @param server the server's name, as the load balancer names it
   * @return the errors and warnings found; empty when none
   */
  default List<PreflightProblem> preflight(PreflightContext context, String step, String server) {
    List<PreflightProblem> problems = new ArrayList<>();
    try {
      ServerState state = state(server);
      if (!state.inRotation()) {
        problems.add(context.warning(step, name() + ": server " + server + " is out of rotation before the"
            + " rollout (" + state.description() + "); the rollout will put it back after its restart"));
      }
    } catch (LoadBalancerException e) {
      problems.add(context.error(step, e.getMessage()));
    }
    return problems;
  }
}
