package dev.shunt.workflow;

import dev.shunt.InstanceKey;
import dev.shunt.StatusStore;
import dev.shunt.StepContext;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link StepContext} for running one step directly: keeps what the step logged and its outcome. */
final class RecordingContext implements StepContext {
  private final InstanceKey key;
  private final StatusStore store;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private volatile String outcome = "";
  private volatile boolean cancelRequested;

  RecordingContext(InstanceKey key, StatusStore store) {
    this.key = key;
    this.store = store;
  }

  /** A context for {@code host} of service {@code app}, on a fresh in-memory store. */
  static RecordingContext forHost(String host) {
    return new RecordingContext(InstanceKey.of("app", host), StatusStore.inMemory());
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

  @Override
  public boolean cancelRequested() {
    return cancelRequested;
  }

  /** Makes {@link #cancelRequested()} answer true from now on, as a cancelled rollout's context does. */
  void requestCancel() {
    cancelRequested = true;
  }

  /** Every line logged so far, in the order they arrived. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /** The last outcome set; empty when none was. */
  String outcome() {
    return outcome;
  }
}
