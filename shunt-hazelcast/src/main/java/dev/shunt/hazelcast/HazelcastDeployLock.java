package dev.shunt.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.shunt.DeployLock;
import dev.shunt.LockGrant;
import dev.shunt.ShuntException;
import dev.shunt.hazelcast.internal.DeployLockProcessor;
import dev.shunt.hazelcast.internal.DeployLockState;
import dev.shunt.hazelcast.internal.HazelcastCalls;
import dev.shunt.internal.DeployLockRules;
import dev.shunt.internal.InstanceKeyRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A lock per service, held in a Hazelcast {@link IMap}, so that only one deploy of a service runs
 * at a time across a fleet: a deploy tool {@link #tryAcquire acquires} it before it starts,
 * {@link #renew renews} it while it works and {@link #release releases} it when done. Every
 * acquisition carries a lease; a tool that crashes or forgets to release leaves a lock that lapses
 * by itself when its lease ends, and the next {@code tryAcquire} takes it over; an operator who
 * knows its deploy is gone can take it from its owner at once with {@link #forceRelease}.
 *
 * <pre>{@code
 * HazelcastDeployLock locks = HazelcastDeployLock.builder(hz).build();
 * LockGrant grant = locks.tryAcquire("checkout", "deployer@ci-7", "release 42", Duration.ofMinutes(5))
 *     .orElseThrow(() -> new IllegalStateException("checkout is being deployed by "
 *         + locks.holder("checkout").map(LockGrant::owner).orElse("someone")));
 * try {
 *   // ... deploy, calling locks.renew(grant, Duration.ofMinutes(5)) well before grant.expiresAt()
 * } finally {
 *   locks.release(grant);
 * }
 * }</pre>
 *
 * <p><b>Fencing token.</b> A lease cannot stop a holder that paused (a long GC, a suspended VM,
 * a slow network) from waking up after its lease ended and someone else took the lock, and then
 * writing as if it still held it. So every grant carries a {@link LockGrant#token() token}
 * greater than that of every earlier grant for the service. A deploy tool passes it along with
 * everything it writes under the lock (e.g. with each entry of its deploy journal, or as a header
 * to the system it deploys to); the receiver remembers the greatest token it has seen for the
 * service and rejects a write that carries a smaller one, which can only come from a stale
 * holder. This lock itself does so: {@link #renew} and {@link #release} with a grant that was
 * taken over return false and leave the new holder in place.
 *
 * <p><b>Storage.</b> One entry per service in the map {@value #DEFAULT_MAP}, keyed by service
 * name, holding the last token handed out and the current holder. The entry is never removed,
 * only marked free on release, since it carries the token counter; it is written without an IMap
 * time to live. Do not configure eviction or a max-idle time for this map, and do not clear it:
 * a lost entry starts the counter again at 1. Every operation is one call to the member that owns
 * the service's entry, an entry processor that decides and writes atomically per service. Like
 * {@link HazelcastStatusStore}, every member and client must be started from a configuration
 * passed through {@link HazelcastStatusStore#configure(Config)} or {@link
 * HazelcastStatusStore#configure(ClientConfig)}: the processors travel in Compact format only.
 *
 * <p><b>Time.</b> Whether a lease has ended is decided with the clock of the lock that makes the
 * call, passed to the member with the call; the members' clocks play no part. Deploy tools on
 * hosts whose clocks disagree disagree by as much on when a lease ends: keep clocks synchronized
 * and leases long next to their skew.
 *
 * <p><b>Failures.</b> A member lost with the default synchronous backup loses no lock and no
 * counter. Under a network partition, Hazelcast stays available (AP) and this lock does not stop
 * that: each side acts on its own copy of the entry, so both sides may grant the lock at the same
 * time, to different deploy tools, and may hand out the same token numbers. When the sides merge,
 * one side's entry wins (by default that of the larger side) and the other side's grants are
 * forgotten: their holders can no longer renew or release, and the counter may go on from a
 * value lower than a token the losing side handed out. Fencing by token therefore protects
 * against stale holders on a healthy cluster, not across a partition; a receiver that must never
 * accept two deploys at once needs a consensus-based lock, which Hazelcast's free edition does not
 * offer. A call that fails throws a {@link ShuntException} whose cause is Hazelcast's exception;
 * an acquisition whose reply was lost may have been granted, and then lapses with its lease.
 *
 * <p>Thread-safe and immutable; holds no resources (nothing to close).
 */
public final class HazelcastDeployLock implements DeployLock {
  /** The default name of the map of locks: {@value}. */
  public static final String DEFAULT_MAP = "shunt.locks";

  private final HazelcastInstance hazelcast;
  private final IMap<String, DeployLockState> locks;
  private final Clock clock;

  private HazelcastDeployLock(Builder builder) {
    this.hazelcast = builder.hazelcast;
    this.locks = hazelcast.getMap(builder.mapName);
    this.clock = builder.clock;
  }

  /**
   * A builder for a lock on {@code hazelcast} (a member or a client, started from a configuration
   * passed through {@link HazelcastStatusStore#configure}), starting from the defaults: the map
   * {@value #DEFAULT_MAP} and the system UTC clock. {@code builder(hz).build()} is the lock with
   * the defaults.
   *
   * @param hazelcast a running member or client; not null
   * @return a new builder with the defaults
   */
  public static Builder builder(HazelcastInstance hazelcast) {
    return new Builder(Objects.requireNonNull(hazelcast, "hazelcast"));
  }

  /**
   * A builder holding this lock's settings, to derive a variant.
   *
   * @return a new builder with this lock's settings
   */
  public Builder toBuilder() {
    return new Builder(hazelcast).mapName(locks.getName()).clock(clock);
  }

  /**
   * Acquires the lock of {@code service} for {@code owner} if it is free, or if its holder's lease
   * has ended; the new lease runs {@code lease} from now.
   *
   * @param owner who acquires it, not blank (e.g. the deploy tool and its run)
   * @param reason why, shown to whoever finds the lock held
   * @param lease how long the lock is held unless renewed or released, positive
   * @return the grant, with a token greater than every earlier one of the service; empty if
   *     someone else (or {@code owner} itself, through an earlier grant) holds the lock
   * @throws IllegalArgumentException naming the argument, its value and the rule it breaks
   * @throws ShuntException if the call to Hazelcast fails
   */
  @Override
  public Optional<LockGrant> tryAcquire(String service, String owner, String reason, Duration lease) {
    InstanceKeyRules.requireServiceName(service);
    DeployLockRules.requireOwner(owner);
    Objects.requireNonNull(reason, "reason");
    Instant now = clock.instant();
    Instant expiresAt = DeployLockRules.leaseEnd(now, lease);
    DeployLockState granted = HazelcastCalls.call(hazelcast, () -> "acquire the deploy lock of " + service,
        () -> locks.executeOnKey(service, DeployLockProcessor.acquire(owner, reason, now, expiresAt)));
    return Optional.ofNullable(granted).map(state -> grant(service, state));
  }

  /**
   * Extends the lease of {@code grant} to {@code lease} from now, if that grant still holds the
   * lock: its lease has not ended and nobody took the lock over.
   *
   * @param lease the new lease, from now; positive
   * @return whether the lease was extended; false means the grant lost the lock, and the deploy
   *     should stop writing under it
   * @throws IllegalArgumentException if {@code lease} is not positive
   * @throws ShuntException if the call to Hazelcast fails
   */
  @Override
  public boolean renew(LockGrant grant, Duration lease) {
    Objects.requireNonNull(grant, "grant");
    Instant now = clock.instant();
    Instant expiresAt = DeployLockRules.leaseEnd(now, lease);
    return HazelcastCalls.call(hazelcast, () -> "renew the deploy lock of " + grant.service(),
        () -> locks.executeOnKey(grant.service(),
            DeployLockProcessor.renew(grant.owner(), grant.token(), now, expiresAt))) != null;
  }

  /**
   * Releases the lock if {@code grant} still holds it: its lease has not ended and nobody took
   * the lock over. A grant that lost the lock leaves it as it is, in particular with a new
   * holder; one whose lease ended is free already.
   *
   * @return whether this call released the lock
   * @throws ShuntException if the call to Hazelcast fails
   */
  @Override
  public boolean release(LockGrant grant) {
    Objects.requireNonNull(grant, "grant");
    Instant now = clock.instant();
    return HazelcastCalls.call(hazelcast, () -> "release the deploy lock of " + grant.service(),
        () -> locks.executeOnKey(grant.service(),
            DeployLockProcessor.release(grant.owner(), grant.token(), now))) != null;
  }

  /**
   * Releases the lock of {@code service} if {@code owner} holds it now, whichever grant it holds
   * it by, in one entry processor call: only the grant that was found is released, never one a
   * deploy acquired meanwhile. The token counter stays, so the next grant's token is greater.
   *
   * @return the grant released; empty if the lock is free, its lease ended, or another owner
   *     holds it (nothing was changed)
   * @throws IllegalArgumentException if {@code service} is not a valid service name or
   *     {@code owner} is blank
   * @throws ShuntException if the call to Hazelcast fails
   */
  @Override
  public Optional<LockGrant> forceRelease(String service, String owner) {
    InstanceKeyRules.requireServiceName(service);
    DeployLockRules.requireOwner(owner);
    Instant now = clock.instant();
    DeployLockState released = HazelcastCalls.call(hazelcast, () -> "force-release the deploy lock of " + service,
        () -> locks.executeOnKey(service, DeployLockProcessor.forceRelease(owner, now)));
    return Optional.ofNullable(released).map(state -> grant(service, state));
  }

  /**
   * The grant holding the lock of {@code service} now, or empty if it is free or its holder's
   * lease has ended. A snapshot: the lock may change hands right after.
   *
   * @throws IllegalArgumentException if {@code service} is not a valid service name
   * @throws ShuntException if the call to Hazelcast fails
   */
  @Override
  public Optional<LockGrant> holder(String service) {
    InstanceKeyRules.requireServiceName(service);
    DeployLockState stored = HazelcastCalls.call(hazelcast, () -> "read the deploy lock of " + service,
        () -> locks.get(service));
    return Optional.ofNullable(stored)
        .filter(state -> state.heldAt(clock.instant()))
        .map(state -> grant(service, state));
  }

  /**
   * The name of the map of locks.
   *
   * @return the map's name
   */
  public String mapName() {
    return locks.getName();
  }

  @Override
  public String toString() {
    return "HazelcastDeployLock{mapName=" + locks.getName() + "}";
  }

  private static LockGrant grant(String service, DeployLockState state) {
    return new LockGrant(service, state.owner(), state.reason(), state.lastToken(), state.expiresAt());
  }

  /**
   * Configures a {@link HazelcastDeployLock}. Not thread-safe; {@link #build()} validates the
   * settings and returns a thread-safe lock.
   */
  public static final class Builder {
    private final HazelcastInstance hazelcast;
    private String mapName = DEFAULT_MAP;
    private Clock clock = Clock.systemUTC();

    private Builder(HazelcastInstance hazelcast) {
      this.hazelcast = hazelcast;
    }

    /**
     * The name of the map of locks. Not blank; default {@value HazelcastDeployLock#DEFAULT_MAP}.
     * Deploy tools that must exclude each other use the same name.
     *
     * @param mapName the map's name; not blank
     * @return this builder
     */
    public Builder mapName(String mapName) {
      this.mapName = mapName;
      return this;
    }

    /**
     * The clock that dates leases and decides whether one has ended. Default: system UTC.
     *
     * @param clock the clock; not null
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Validates the settings and builds the lock. Makes no call to the cluster.
     *
     * @return a new lock; it makes no call to the cluster until used
     * @throws IllegalArgumentException naming the setting, its value and the rule it breaks
     */
    public HazelcastDeployLock build() {
      if (mapName == null || mapName.isBlank()) {
        throw new IllegalArgumentException("mapName must be a non-blank map name, was "
            + (mapName == null ? "null" : "'" + mapName + "'"));
      }
      if (clock == null) {
        throw new IllegalArgumentException("clock must be set, was null");
      }
      return new HazelcastDeployLock(this);
    }
  }
}
