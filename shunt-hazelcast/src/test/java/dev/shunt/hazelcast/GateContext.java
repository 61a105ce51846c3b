package dev.shunt.hazelcast;

import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.StepContext;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link StepContext} for running a gate step by itself: keeps what it logged and its outcome. */
final class GateContext implements StepContext {
  private final InstanceKey key;
  private final StatusStore store = StatusStore.inMemory();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private volatile String outcome = "";

  private GateContext(String host) {
    this.key = InstanceKey.of("checkout", host);
  }

  static GateContext forHost(String host) {
    return new GateContext(host);
  }

  @Override
  public InstanceKey key() {
    return key;
  }

  @Override
  public StatusStore store() {
    return store;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public void log(String line) {
    lines.add(line);
  }

  @Override
  public void outcome(String description) {
    outcome = description;
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  String outcome() {
    return outcome;
  }
}
