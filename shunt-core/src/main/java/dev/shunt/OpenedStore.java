package dev.shunt;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link StatusStore} opened from a spec by {@link StatusStores#open(String)}, together with
 * whatever was opened for it (a Hazelcast client, its threads and connections). Close it when
 * done, best with try-with-resources:
 *
 * <pre>{@code
 * try (OpenedStore opened = StatusStores.open("hazelcast://10.0.0.1:5701?cluster=shunt")) {
 *   opened.store().shunt(InstanceKey.of("checkout", "web-1"), ShuntRequest.of("deploy", "ci"));
 * }
 * }</pre>
 *
 * <p>It also offers the {@link DeployLock} that belongs with the store, if its provider has one
 * ({@link #deployLock()}): {@code file:DIR} gives {@link DeployLock#flagFiles(java.nio.file.Path)}
 * on the same directory, {@code memory:} a {@link DeployLock#inMemory()} of its own, and
 * {@code hazelcast://} a {@code HazelcastDeployLock} on the same client; so a deploy tool that
 * was given a store spec keeps its rollouts apart with no second setting.
 *
 * <p>A store whose cluster a rolling restart must keep whole offers the {@link ClusterGate} for it
 * ({@link #clusterGate()}): {@code hazelcast://} offers {@code ClusterSafety} on the same client.
 *
 * <p>The store is handed out as it is rather than wrapped, so it stays the store its provider
 * made (e.g. a {@code HazelcastStatusStore}); closing this object, not the store, releases what
 * was opened for it. For stores that hold nothing open ({@code memory:}, {@code file:}) closing
 * does nothing, and the store goes on working afterwards; for the others it stops working.
 *
 * <p>Thread-safe. {@link #close()} runs the provider's clean-up once, however often it is called.
 */
public final class OpenedStore implements AutoCloseable {
  private static final Runnable NOTHING = () -> { };

  private final StatusStore store;
  private final DeployLock deployLock;
  private final ClusterGate clusterGate;
  private final Runnable cleanUp;
  private final AtomicBoolean closed;

  private OpenedStore(StatusStore store, DeployLock deployLock, Runnable cleanUp) {
    this(store, deployLock, null, cleanUp, new AtomicBoolean());
  }

  private OpenedStore(StatusStore store, DeployLock deployLock, ClusterGate clusterGate, Runnable cleanUp,
      AtomicBoolean closed) {
    this.store = Objects.requireNonNull(store, "store");
    this.deployLock = deployLock;
    this.clusterGate = clusterGate;
    this.cleanUp = Objects.requireNonNull(cleanUp, "cleanUp");
    this.closed = closed;
  }

  /**
   * A store that holds nothing open (closing does nothing), without a deploy lock.
   *
   * @param store the store; not null
   * @return the store, opened
   */
  public static OpenedStore of(StatusStore store) {
    return new OpenedStore(store, null, NOTHING);
  }

  /**
   * A store whose resources {@code cleanUp} releases, once, when this is closed; without a deploy lock.
   *
   * @param store the store; not null
   * @param cleanUp releases what the store holds open; not null
   * @return the store, opened
   */
  public static OpenedStore of(StatusStore store, Runnable cleanUp) {
    return new OpenedStore(store, null, cleanUp);
  }

  /**
   * A store that holds nothing open (closing does nothing), with the deploy lock that belongs with it.
   *
   * @param store the store; not null
   * @param deployLock the lock that belongs with the store; not null
   * @return the store, opened
   */
  public static OpenedStore of(StatusStore store, DeployLock deployLock) {
    return new OpenedStore(store, Objects.requireNonNull(deployLock, "deployLock"), NOTHING);
  }

  /**
   * A store with the deploy lock that belongs with it, whose resources (the lock's too)
   * {@code cleanUp} releases, once, when this is closed.
   *
   * @param store the store; not null
   * @param deployLock the lock that belongs with the store; not null
   * @param cleanUp releases what the store and the lock hold open; not null
   * @return the store, opened
   */
  public static OpenedStore of(StatusStore store, DeployLock deployLock, Runnable cleanUp) {
    return new OpenedStore(store, Objects.requireNonNull(deployLock, "deployLock"), cleanUp);
  }

  /**
   * The store.
   *
   * @return the store that was opened
   */
  public StatusStore store() {
    return store;
  }

  /**
   * The deploy lock that belongs with the store, on the same directory, process or cluster; empty
   * if its provider has none. Like the store, it stops working once this is closed, for stores
   * that hold something open.
   *
   * @return the lock, or empty
   */
  public Optional<DeployLock> deployLock() {
    return Optional.ofNullable(deployLock);
  }

  /**
   * This opened store, offering {@code gate} as its {@link #clusterGate()}. The two share one
   * clean-up, run once by whichever is closed first; hand out only the one returned.
   *
   * @param gate the store's cluster gate; not null
   * @return a new opened store with the gate; use it instead of this one
   */
  public OpenedStore withClusterGate(ClusterGate gate) {
    return new OpenedStore(store, deployLock, Objects.requireNonNull(gate, "gate"), cleanUp, closed);
  }

  /**
   * The gate that keeps the store's cluster whole through a rolling restart (on the same client,
   * with its defaults); empty if the store has none, as {@code memory:} and {@code file:} have
   * none. Like the store, it stops working once this is closed.
   *
   * @return the gate, or empty
   */
  public Optional<ClusterGate> clusterGate() {
    return Optional.ofNullable(clusterGate);
  }

  /**
   * Releases what was opened for the store. Idempotent: the clean-up runs on the first call
   * only; an exception it throws reaches that caller.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      cleanUp.run();
    }
  }

  @Override
  public String toString() {
    return "OpenedStore{" + store + (closed.get() ? ", closed" : "") + "}";
  }
}
