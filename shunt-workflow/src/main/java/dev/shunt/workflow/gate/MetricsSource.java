package dev.shunt.workflow.gate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a {@link MetricsGate} reads each host's request counters: HAProxy's runtime API
 * ({@link HaproxyMetricsSource}), the application's Prometheus endpoint
 * ({@link PrometheusMetricsSource}), or anything else that counts requests, server errors and,
 * ideally, latency per host (an APM's API, a log pipeline): implement {@link #read(Host)}.
 *
 * <p>A source returns counters as they stand (growing since the application or load balancer
 * started), never rates: the gate takes differences over its bake window. A source must be
 * thread-safe; the gate calls it from the rollout's coordinator thread, once per check interval.
 */
public interface MetricsSource {

  /** A host of the rollout and its position in the rollout's hosts, from 1 (for {@code {index}} templates). */
  record Host(String name, int index) {
    /**
     * Checks the components.
     *
     * @param name the host's name; not null
     * @param index its position, from 1
     * @throws IllegalArgumentException if {@code index} is below 1
     */
    public Host {
      Objects.requireNonNull(name, "name");
      if (index < 1) {
        throw new IllegalArgumentException("index must be >= 1, was " + index);
      }
    }
  }

  /**
   * What it reads, for the plan and the messages, e.g. {@code haproxy unix:/run/haproxy/admin.sock backend web}.
   *
   * @return the description, with no secret
   */
  String name();

  /**
   * The counters of {@code host} now.
   *
   * @param host the host to read
   * @return its counters
   * @throws MetricsException if they cannot be read, naming the source, the host and what to do
   */
  MetricsSnapshot read(Host host);

  /**
   * The counters of every host in {@code hosts} now, by host name, in their order. By default one
   * {@link #read(Host)} after the other; a source that can read them all at once (one
   * {@code show stat}) overrides it.
   *
   * @param hosts the hosts to read
   * @return the counters by host name
   * @throws MetricsException if one host's counters cannot be read
   */
  default Map<String, MetricsSnapshot> read(List<Host> hosts) {
    Map<String, MetricsSnapshot> snapshots = new LinkedHashMap<>();
    for (Host host : hosts) {
      snapshots.put(host.name(), Objects.requireNonNull(read(host), "the snapshot of " + host.name()));
    }
    return snapshots;
  }
}
