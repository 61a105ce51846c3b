package dev.shunt.internal;

import dev.shunt.BudgetExceededException;
import dev.shunt.CheckerReport;
import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** {@link StatusStore#inMemory()}: thread-safe; every operation is atomic per key. */
public final class InMemoryStatusStore implements StatusStore {
  private final Clock clock;
  private final Map<InstanceKey, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, MaintenanceFlag> maintenance = new ConcurrentHashMap<>();
  private final Map<String, DisruptionBudget> budgets = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> hosts = new ConcurrentHashMap<>();
  private final Map<String, Map<String, JournalEntry>> journals = new ConcurrentHashMap<>();
  /** Serializes the new shunts of a service, so that the budget check and the write are one step. */
  private final Map<String, Object> shuntLocks = new ConcurrentHashMap<>();

  /** A status and the checker reports made since it was set. Immutable. */
  private record Entry(ShuntStatus status, Map<String, CheckerReport> reports) {
    Entry withoutReport(String checker) {
      if (!reports.containsKey(checker)) {
        return this;
      }
      Map<String, CheckerReport> copy = new java.util.HashMap<>(reports);
      copy.remove(checker);
      return new Entry(status, Map.copyOf(copy));
    }

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
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(request, "request");
    synchronized (shuntLocks.computeIfAbsent(key.service(), service -> new Object())) {
      Instant now = clock.instant();
      Entry current = entries.get(key);
      boolean renewal = current != null && current.status().isShuntedAt(now);
      DisruptionBudget budget = budgets.get(key.service());
      if (!renewal && budget != null) {
        register(key);
        Set<String> out = shuntedInstances(key.service()).keySet().stream()
            .map(InstanceKey::host).collect(Collectors.toUnmodifiableSet());
        int known = hosts(key.service()).size();
        if (out.size() >= budget.allowed(known)) {
          throw new BudgetExceededException(key, budget, known, out);
        }
      }
      register(key);
      return entries.compute(key, (k, old) -> old != null && old.status().isShuntedAt(now)
          ? new Entry(old.status().renewedBy(request, now), old.reports())
          : new Entry(ShuntStatus.of(request, now), Map.of())).status();
    }
  }

  @Override
  public void unshunt(InstanceKey key) {
    entries.computeIfPresent(key, (k, old) -> old.status().shunted() ? null : old);
  }

  @Override
  public Map<InstanceKey, ShuntStatus> shuntedInstances(String service) {
    InstanceKeyRules.requireServiceName(service);
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
  public void removeReport(InstanceKey key, String checker) {
    Objects.requireNonNull(checker, "checker");
    entries.computeIfPresent(key, (k, old) -> old.withoutReport(checker));
  }

  @Override
  public List<CheckerReport> reports(InstanceKey key) {
    Entry entry = entries.get(key);
    return entry == null ? List.of() : List.copyOf(entry.reports().values());
  }

  @Override
  public Optional<MaintenanceFlag> maintenance(String service) {
    InstanceKeyRules.requireServiceName(service);
    return Optional.ofNullable(maintenance.get(service)).filter(flag -> flag.isOnAt(clock.instant()));
  }

  @Override
  public void startMaintenance(String service, MaintenanceFlag flag) {
    InstanceKeyRules.requireServiceName(service);
    maintenance.put(service, Objects.requireNonNull(flag, "flag"));
  }

  @Override
  public void endMaintenance(String service) {
    InstanceKeyRules.requireServiceName(service);
    maintenance.remove(service);
  }

  @Override
  public void setBudget(String service, DisruptionBudget budget) {
    InstanceKeyRules.requireServiceName(service);
    budgets.put(service, Objects.requireNonNull(budget, "budget"));
  }

  @Override
  public Optional<DisruptionBudget> budget(String service) {
    InstanceKeyRules.requireServiceName(service);
    return Optional.ofNullable(budgets.get(service));
  }

  @Override
  public void clearBudget(String service) {
    InstanceKeyRules.requireServiceName(service);
    budgets.remove(service);
  }

  @Override
  public void register(InstanceKey key) {
    hosts.computeIfAbsent(key.service(), service -> ConcurrentHashMap.newKeySet()).add(key.host());
  }

  @Override
  public void forget(InstanceKey key) {
    hosts.computeIfPresent(key.service(), (service, known) -> {
      known.remove(key.host());
      return known;
    });
  }

  @Override
  public Set<String> hosts(String service) {
    InstanceKeyRules.requireServiceName(service);
    return Set.copyOf(hosts.getOrDefault(service, Set.of()));
  }

  @Override
  public void writeJournal(String service, JournalEntry entry) {
    InstanceKeyRules.requireServiceName(service);
    Objects.requireNonNull(entry, "entry");
    journals.computeIfAbsent(service, s -> new ConcurrentHashMap<>()).put(entry.host(), entry);
  }

  @Override
  public List<JournalEntry> journal(String service) {
    InstanceKeyRules.requireServiceName(service);
    return List.copyOf(journals.getOrDefault(service, Map.of()).values());
  }

  @Override
  public void clearJournal(String service) {
    InstanceKeyRules.requireServiceName(service);
    journals.remove(service);
  }
}
