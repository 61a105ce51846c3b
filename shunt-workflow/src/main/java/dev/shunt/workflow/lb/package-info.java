/**
 * Load balancers driven through their own API: a {@link dev.shunt.workflow.lb.LoadBalancer} takes
 * a server out, reports it drained, puts it back and reports it in rotation;
 * {@link dev.shunt.workflow.lb.LoadBalancerStep#takeOut()} and
 * {@link dev.shunt.workflow.lb.LoadBalancerStep#putBack()} do that in a rollout, on every load
 * balancer that fronts the fleet. {@link dev.shunt.workflow.lb.HaproxyLoadBalancer} drives HAProxy's
 * runtime API, {@link dev.shunt.workflow.lb.VarnishLoadBalancer} varnishadm,
 * {@link dev.shunt.workflow.lb.NginxLoadBalancer} an upstream's included file and reloads, and
 * {@link dev.shunt.workflow.lb.CaddyLoadBalancer} Caddy's admin API. The health-check shunt ({@link dev.shunt.workflow.ShuntStep}) stays the default way
 * out of rotation: it needs no credentials and works however many load balancers check.
 */
package dev.shunt.workflow.lb;
