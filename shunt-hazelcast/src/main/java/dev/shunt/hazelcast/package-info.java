/**
 * A cluster-wide {@link dev.shunt.StatusStore} on Hazelcast: {@link
 * dev.shunt.hazelcast.HazelcastStatusStore}. A shunt made through any member or client of the
 * cluster is seen by every other one; a shunt with a time to live leaves the cluster by itself,
 * and {@link dev.shunt.hazelcast.HazelcastStatusStore#onChange} listeners hear each {@link
 * dev.shunt.hazelcast.StatusChange}. {@link dev.shunt.hazelcast.HazelcastDeployLock} keeps two
 * rollouts of one service apart, with a fencing token that grows on every grant. {@link
 * dev.shunt.hazelcast.HazelcastShutdown} makes an embedded member the last phase of a {@link
 * dev.shunt.GracefulShutdown}, so it leaves gracefully after the server stopped.
 * {@link dev.shunt.hazelcast.ClusterSafety} is the gate around each host's restart when the
 * hosts' applications are members: it waits until the cluster is safe, and whole again.
 *
 * <p>Members and clients must be configured with {@link
 * dev.shunt.hazelcast.HazelcastStatusStore#configure(com.hazelcast.config.Config)} or {@link
 * dev.shunt.hazelcast.HazelcastStatusStore#configure(com.hazelcast.client.config.ClientConfig)}
 * before they start.
 *
 * <p>With this module on the class path, {@link dev.shunt.StatusStores#open(String)} opens
 * {@code hazelcast://HOST:PORT[,HOST:PORT…][?cluster=NAME][&connectTimeout=PT10S]}: a store on a
 * new client of a running cluster, whose client closing the opened store shuts down.
 *
 * <p>Everything under {@code dev.shunt.hazelcast.internal} is implementation, not API.
 */
package dev.shunt.hazelcast;
