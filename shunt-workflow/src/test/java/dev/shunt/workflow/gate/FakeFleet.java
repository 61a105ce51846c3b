package dev.shunt.workflow.gate;

import dev.shunt.Step;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet's counters without a fleet, for the gate's behaviour tests: every read is a tick in
 * which each host answers {@code perTick} requests as its version does (a share of 5xx, a latency
 * bucket); {@link #restart()} puts the next version on a host. Deterministic: no clock, no threads.
 */
final class FakeFleet implements MetricsSource {
  static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, Double.POSITIVE_INFINITY};

  /** How a version answers: one error every {@code errorEvery} requests (0: none), latency bucket index. */
  record Version(int errorEvery, int latencyBucket) {
    static final Version GOOD = new Version(0, 1);
  }

  private final int perTick;
  private final Version next;
  private final Map<String, Version> versions = new HashMap<>();
  private final Map<String, long[]> counters = new HashMap<>();
  private final Map<String, long[]> buckets = new HashMap<>();
  final AtomicInteger reads = new AtomicInteger();
  volatile int failFromRead = Integer.MAX_VALUE;

  FakeFleet(int perTick, Version current, Version next, List<String> hosts) {
    this.perTick = perTick;
    this.next = next;
    hosts.forEach(host -> versions.put(host, current));
  }

  /** The restart: the host runs the next version from now on. */
  Step restart() {
    return Step.named("restart", context -> {
      synchronized (this) {
        versions.put(context.host(), next);
      }
    });
  }

  @Override
  public String name() {
    return "fake fleet";
  }

  @Override
  public MetricsSnapshot read(Host host) {
    return read(List.of(host)).get(host.name());
  }

  @Override
  public synchronized Map<String, MetricsSnapshot> read(List<Host> hosts) {
    if (reads.incrementAndGet() >= failFromRead) {
      throw new MetricsException("fake fleet: connection refused");
    }
    versions.forEach((host, version) -> {
      long[] count = counters.computeIfAbsent(host, h -> new long[2]);
      long[] histogram = buckets.computeIfAbsent(host, h -> new long[BOUNDS.length]);
      for (int i = 0; i < perTick; i++) {
        count[0]++;
        if (version.errorEvery() > 0 && count[0] % version.errorEvery() == 0) {
          count[1]++;
        }
        for (int bucket = version.latencyBucket(); bucket < BOUNDS.length; bucket++) {
          histogram[bucket]++;
        }
      }
    });
    Map<String, MetricsSnapshot> snapshots = new LinkedHashMap<>();
    for (Host host : hosts) {
      long[] count = counters.get(host.name());
      snapshots.put(host.name(), new MetricsSnapshot(count[0], count[1],
          Optional.of(new LatencyHistogram(BOUNDS, buckets.get(host.name()))), Optional.empty(), 0));
    }
    return snapshots;
  }
}
