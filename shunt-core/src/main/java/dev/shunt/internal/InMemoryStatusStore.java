package dev.shunt.internal;

import dev.shunt.CheckerReport;
import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** {@link StatusStore#inMemory()}: thread-safe; every operation is atomic per key. */
public final class InMemoryStatusStore implements StatusStore {
  private final Clock clock;
  private final Map<InstanceKey, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, MaintenanceFlag> maintenance = new ConcurrentHashMap<>();

  /** A status and the checker reports made since it was set. Immutable. */
  private record Entry(ShuntStatus status, Map<String, CheckerReport> reports) {
    Entry withReport(CheckerReport report) {
      Map<String, CheckerReport> copy = new java.util.HashMap<>(reports);
      copy.put(report.checker(), report);
      return new Entry(status, Map.copyOf(copy));
    }
  }

  public InMemoryStatusStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public ShuntStatus status(InstanceKey key) {
    Entry entry = entries.get(key);
    if (entry == null || !entry.status().isShuntedAt(clock.instant())) {
      return ShuntStatus.inRotation();
    }
    return entry.status();
  }

  @Override
  public ShuntStatus shunt(InstanceKey key, ShuntRequest request) {
    Objects.requireNonNull(request, "request");
    return entries.compute(key, (k, old) -> {
      Instant now = clock.instant();
      boolean renewal = old != null && old.status().isShuntedAt(now);
      return renewal
          ? new Entry(old.status().renewedBy(request, now), old.reports())
          : new Entry(ShuntStatus.shunted(request, now), Map.of());
    }).status();
  }

  @Override
  public void unshunt(InstanceKey key) {
    entries.computeIfPresent(key, (k, old) -> old.status().shunted() ? null : old);
  }

  @Override
  public Map<InstanceKey, ShuntStatus> shunted(String service) {
    InstanceKey.requireServiceName(service);
    return entries.keySet().stream()
        .filter(key -> key.service().equals(service))
        .map(key -> Map.entry(key, status(key)))
        .filter(e -> e.getValue().shunted())
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Override
  public void report(InstanceKey key, CheckerReport report) {
    Objects.requireNonNull(report, "report");
    entries.compute(key, (k, old) ->
        (old == null ? new Entry(ShuntStatus.inRotation(), Map.of()) : old).withReport(report));
  }

  @Override
  public List<CheckerReport> reports(InstanceKey key) {
    Entry entry = entries.get(key);
    return entry == null ? List.of() : List.copyOf(entry.reports().values());
  }

  @Override
  public Optional<MaintenanceFlag> maintenance(String service) {
    InstanceKey.requireServiceName(service);
    return Optional.ofNullable(maintenance.get(service)).filter(flag -> flag.isOnAt(clock.instant()));
  }

  @Override
  public void startMaintenance(String service, MaintenanceFlag flag) {
    InstanceKey.requireServiceName(service);
    maintenance.put(service, Objects.requireNonNull(flag, "flag"));
  }

  @Override
  public void endMaintenance(String service) {
    InstanceKey.requireServiceName(service);
    maintenance.remove(service);
  }
}
