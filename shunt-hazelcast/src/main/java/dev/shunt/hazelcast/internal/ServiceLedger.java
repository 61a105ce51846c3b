package dev.shunt.hazelcast.internal;

import dev.shunt.DisruptionBudget;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the store knows about one service as a whole, in one entry so that one entry processor can
 * decide atomically whether a new shunt fits the service's {@link DisruptionBudget}: the budget,
 * the known hosts, and the hosts out of rotation with the end of each one's lease ({@code null}
 * for a shunt without one). Immutable.
 *
 * @param budgetOrNull the budget, or null when none is set
 * @param hosts the known hosts
 * @param out the hosts counted as out of rotation, each with the end of its lease or null
 */
public record ServiceLedger(DisruptionBudget budgetOrNull, Set<String> hosts, Map<String, Instant> out)
    implements Serializable {
  public static final ServiceLedger EMPTY = new ServiceLedger(null, Set.of(), Map.of());

  public ServiceLedger {
    hosts = Set.copyOf(hosts);
    // Map.copyOf refuses null values, and a lease without an end is one.
    out = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(out, "out")));
  }

  /** This ledger with the leases that ended by {@code now} left out. */
  ServiceLedger at(Instant now) {
    Map<String, Instant> current = new TreeMap<>();
    out.forEach((host, until) -> {
      if (until == null || now.isBefore(until)) {
        current.put(host, until);
      }
    });
    return current.size() == out.size() ? this : new ServiceLedger(budgetOrNull, hosts, current);
  }

  ServiceLedger withBudget(DisruptionBudget budget) {
    return new ServiceLedger(budget, hosts, out);
  }

  ServiceLedger withHost(String host) {
    if (hosts.contains(host)) {
      return this;
    }
    Set<String> more = new TreeSet<>(hosts);
    more.add(host);
    return new ServiceLedger(budgetOrNull, more, out);
  }

  ServiceLedger withoutHost(String host) {
    Set<String> fewer = new TreeSet<>(hosts);
    fewer.remove(host);
    return new ServiceLedger(budgetOrNull, fewer, out);
  }

  ServiceLedger withOut(String host, Instant untilOrNull) {
    Map<String, Instant> more = new TreeMap<>(out);
    more.put(host, untilOrNull);
    return new ServiceLedger(budgetOrNull, hosts, more).withHost(host);
  }

  ServiceLedger withoutOut(String host) {
    Map<String, Instant> fewer = new TreeMap<>(out);
    fewer.remove(host);
    return new ServiceLedger(budgetOrNull, hosts, fewer);
  }

  /** Whether a new shunt of {@code host} fits the budget: it is out already, there is no budget, or there is room. */
  public boolean admits(String host) {
    return out.containsKey(host) || budgetOrNull == null
        || out.size() < budgetOrNull.allowed(withHost(host).hosts().size());
  }

  private Object writeReplace() throws ObjectStreamException {
    throw CompactOnly.refuseJavaSerialization(this);
  }
}
