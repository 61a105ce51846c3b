/**
 * The shunt API: take an instance out of a load balancer's rotation by making its health check
 * answer "down", and put it back.
 *
 * <ul>
 *   <li>{@link dev.shunt.InstanceKey}, {@link dev.shunt.ShuntStatus}, {@link dev.shunt.ShuntRequest}:
 *       what is shunted, and how;</li>
 *   <li>{@link dev.shunt.StatusStore}: where the status lives (in memory, flag files, or
 *       cluster-wide with {@code shunt-hazelcast}), with each service's
 *       {@link dev.shunt.DisruptionBudget}, known hosts and rollout journal
 *       ({@link dev.shunt.JournalEntry}); {@link dev.shunt.StatusStores#open} opens one from a spec
 *       such as {@code file:/var/run/shunt} ({@link dev.shunt.StatusStoreProvider} adds schemes);
 *       a failing store throws {@link dev.shunt.StoreException};</li>
 *   <li>{@link dev.shunt.DeployLock}, {@link dev.shunt.LockGrant}: one deploy of a service at a
 *       time, with leases and fencing tokens;</li>
 *   <li>{@link dev.shunt.HealthResponder}: answers the load balancer's health checks from the
 *       store, and NACKs them before the process stops; {@link dev.shunt.GracefulShutdown} does
 *       that on SIGTERM, waits for the {@link dev.shunt.InFlightRequests} to finish, stops the
 *       server and then runs each later {@link dev.shunt.ShutdownPhase};</li>
 *   <li>{@link dev.shunt.AgentCheckResponder}: the same status for HAProxy's {@code agent-check};</li>
 *   <li>{@link dev.shunt.MaintenanceFlag}, {@link dev.shunt.MaintenanceResponder}: site-wide
 *       maintenance mode with a page, never catching the health path;</li>
 *   <li>{@link dev.shunt.Step}: one unit of work on one host, composed by {@code shunt-workflow};
 *       {@link dev.shunt.ClusterGate}: the steps around each restart that keep a cluster whole.</li>
 * </ul>
 *
 * <p>Adapters: {@code dev.shunt.httpserver} (JDK {@code HttpServer}), {@code dev.shunt.servlet}
 * (Jakarta Servlet). A standalone health server: {@code dev.shunt.sidecar}. Everything under
 * {@code dev.shunt.internal} is implementation, not API.
 */
package dev.shunt;
