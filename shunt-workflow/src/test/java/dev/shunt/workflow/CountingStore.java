package dev.shunt.workflow;

import dev.shunt.CheckerReport;
import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StatusStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory store that knows exactly how many instances are shunted at every moment, and the
 * most there ever were: its shunts and unshunts change the store and the count in one step.
 * ({@link StatusStore#shunted} read from another thread is no snapshot: it can see a host that has
 * just gone back and one that has just gone out.)
 */
final class CountingStore implements StatusStore {
  private final StatusStore store = StatusStore.inMemory();
  private int current;
  private int max;

  synchronized int max() {
    return max;
  }

  synchronized int current() {
    return current;
  }

  @Override
  public synchronized ShuntStatus shunt(InstanceKey key, ShuntRequest request) {
    boolean renewal = store.status(key).shunted();
    ShuntStatus status = store.shunt(key, request);
    if (!renewal) {
      current++;
      max = Math.max(max, current);
    }
    return status;
  }

  @Override
  public synchronized void unshunt(InstanceKey key) {
    if (store.status(key).shunted()) {
      current--;
    }
    store.unshunt(key);
  }

  @Override
  public ShuntStatus status(InstanceKey key) {
    return store.status(key);
  }

  @Override
  public Map<InstanceKey, ShuntStatus> shunted(String service) {
    return store.shunted(service);
  }

  @Override
  public void report(InstanceKey key, CheckerReport report) {
    store.report(key, report);
  }

  @Override
  public List<CheckerReport> reports(InstanceKey key) {
    return store.reports(key);
  }

  @Override
  public Optional<MaintenanceFlag> maintenance(String service) {
    return store.maintenance(service);
  }

  @Override
  public void startMaintenance(String service, MaintenanceFlag flag) {
    store.startMaintenance(service, flag);
  }

  @Override
  public void endMaintenance(String service) {
    store.endMaintenance(service);
  }

  @Override
  public void setBudget(String service, DisruptionBudget budget) {
    store.setBudget(service, budget);
  }

  @Override
  public Optional<DisruptionBudget> budget(String service) {
    return store.budget(service);
  }

  @Override
  public void clearBudget(String service) {
    store.clearBudget(service);
  }

  @Override
  public void register(InstanceKey key) {
    store.register(key);
  }

  @Override
  public void forget(InstanceKey key) {
    store.forget(key);
  }

  @Override
  public Set<String> hosts(String service) {
    return store.hosts(service);
  }

  @Override
  public void writeJournal(String service, JournalEntry entry) {
    store.writeJournal(service, entry);
  }

  @Override
  public List<JournalEntry> journal(String service) {
    return store.journal(service);
  }

  @Override
  public void clearJournal(String service) {
    store.clearJournal(service);
  }
}
