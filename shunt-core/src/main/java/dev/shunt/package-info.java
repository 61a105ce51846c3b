/**
 * The shunt API: take an instance out of a load balancer's rotation by making its health check
 * answer "down", and put it back.
 *
 * <ul>
 *   <li>{@link dev.shunt.InstanceKey}, {@link dev.shunt.ShuntStatus}, {@link dev.shunt.ShuntRequest}:
 *       what is shunted, and how;</li>
 *   <li>{@link dev.shunt.StatusStore}: where the status lives (in memory, flag files, or
 *       cluster-wide with {@code shunt-hazelcast});</li>
 *   <li>{@link dev.shunt.HealthResponder}: answers the load balancer's health checks from the
 *       store, and NACKs them before the process stops;</li>
 *   <li>{@link dev.shunt.Step}: one unit of work on one host, composed by {@code shunt-workflow}.</li>
 * </ul>
 *
 * <p>Everything under {@code dev.shunt.internal} is implementation, not API.
 */
package dev.shunt;
