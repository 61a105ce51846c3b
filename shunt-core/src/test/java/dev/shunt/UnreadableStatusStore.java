package dev.shunt;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A store whose reads fail, as a store on an unreachable network would; everything else works. */
final class UnreadableStatusStore implements StatusStore {
  private final StatusStore writes = StatusStore.inMemory();

  @Override
  public ShuntStatus status(InstanceKey key) {
    throw new ShuntException("cannot reach the store to read " + key);
  }

  @Override
  public ShuntStatus shunt(InstanceKey key, ShuntRequest request) {
    return writes.shunt(key, request);
  }

  @Override
  public void unshunt(InstanceKey key) {
    writes.unshunt(key);
  }

  @Override
  public Map<InstanceKey, ShuntStatus> shunted(String service) {
    return writes.shunted(service);
  }

  @Override
  public void report(InstanceKey key, CheckerReport report) {
    writes.report(key, report);
  }

  @Override
  public List<CheckerReport> reports(InstanceKey key) {
    return writes.reports(key);
  }

  @Override
  public Optional<MaintenanceFlag> maintenance(String service) {
    throw new ShuntException("cannot reach the store to read the maintenance flag of " + service);
  }

  @Override
  public void startMaintenance(String service, MaintenanceFlag flag) {
    writes.startMaintenance(service, flag);
  }

  @Override
  public void endMaintenance(String service) {
    writes.endMaintenance(service);
  }

  @Override
  public void setBudget(String service, DisruptionBudget budget) {
    writes.setBudget(service, budget);
  }

  @Override
  public Optional<DisruptionBudget> budget(String service) {
    return writes.budget(service);
  }

  @Override
  public void clearBudget(String service) {
    writes.clearBudget(service);
  }

  @Override
  public void register(InstanceKey key) {
    writes.register(key);
  }

  @Override
  public void forget(InstanceKey key) {
    writes.forget(key);
  }

  @Override
  public Set<String> hosts(String service) {
    return writes.hosts(service);
  }

  @Override
  public void writeJournal(String service, JournalEntry entry) {
    writes.writeJournal(service, entry);
  }

  @Override
  public List<JournalEntry> journal(String service) {
    return writes.journal(service);
  }

  @Override
  public void clearJournal(String service) {
    writes.clearJournal(service);
  }
}
