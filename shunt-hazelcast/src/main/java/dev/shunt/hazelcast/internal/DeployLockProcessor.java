package dev.shunt.hazelcast.internal;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.ObjectStreamException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Acquires, renews, releases or force-releases one service's deploy lock on the member that owns the entry,
 * atomically: Hazelcast runs the entry processors of one key one at a time, so two deploy tools
 * cannot both find the lock free, and the token counter cannot hand out one number twice.
 *
 * <p>Everything it decides comes from its fields ({@link #now()} is the caller's clock) and the
 * stored entry, never from the member's clock: the same processor runs again on each backup and
 * must reach the same result there. The entry is written without an expiry (an IMap TTL of 0
 * overrides any the map is configured with), since it carries the token counter.
 *
 * <p>Returns the state after the change, or null when the change was refused: the lock was held
 * (acquire), or the grant no longer holds it (renew, release). A force-release returns the state
 * it released, the holder's, or null when the owner did not hold the lock. Immutable.
 */
public final class DeployLockProcessor
    implements EntryProcessor<String, DeployLockState, DeployLockState> {

  /** What the processor does. Its name is part of the stored format. */
  public enum Action { ACQUIRE, RENEW, RELEASE, FORCE_RELEASE }

  private final Action action;
  private final String owner;
  private final String reason;
  private final long token;
  private final Instant now;
  private final Instant expiresAt;

  DeployLockProcessor(Action action, String owner, String reason, long token, Instant now,
      Instant expiresAt) {
    this.action = Objects.requireNonNull(action, "action");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.reason = reason;
    this.token = token;
    this.now = Objects.requireNonNull(now, "now");
    this.expiresAt = expiresAt;
  }

  /** Takes the lock for {@code owner} until {@code expiresAt} if it is free or lapsed at {@code now}. */
  public static DeployLockProcessor acquire(String owner, String reason, Instant now, Instant expiresAt) {
    return new DeployLockProcessor(Action.ACQUIRE, owner, Objects.requireNonNull(reason, "reason"), 0,
        now, Objects.requireNonNull(expiresAt, "expiresAt"));
  }

  /** Moves the lease of grant {@code token} to {@code expiresAt} if that grant holds the lock at {@code now}. */
  public static DeployLockProcessor renew(String owner, long token, Instant now, Instant expiresAt) {
    return new DeployLockProcessor(Action.RENEW, owner, null, token, now,
        Objects.requireNonNull(expiresAt, "expiresAt"));
  }

  /** Frees the lock if grant {@code token} holds it at {@code now}; the token counter stays. */
  public static DeployLockProcessor release(String owner, long token, Instant now) {
    return new DeployLockProcessor(Action.RELEASE, owner, null, token, now, null);
  }

  /** Frees the lock if {@code owner} holds it at {@code now}, whichever its grant; the token counter stays. */
  public static DeployLockProcessor forceRelease(String owner, Instant now) {
    return new DeployLockProcessor(Action.FORCE_RELEASE, owner, null, 0, now, null);
  }

  @Override
  public DeployLockState process(Map.Entry<String, DeployLockState> entry) {
    DeployLockState stored = entry.getValue();
    DeployLockState next = switch (action) {
      case ACQUIRE -> stored != null && stored.heldAt(now)
          ? null
          : new DeployLockState(stored == null ? 1 : stored.lastToken() + 1, owner, reason, expiresAt);
      case RENEW -> stored != null && stored.heldBy(token, owner, now)
          ? new DeployLockState(stored.lastToken(), stored.owner(), stored.reason(), expiresAt)
          : null;
      case RELEASE, FORCE_RELEASE -> releases(stored)
          ? DeployLockState.free(stored.lastToken())
          : null;
    };
    if (next != null) {
      @SuppressWarnings("unchecked")
      ExtendedMapEntry<String, DeployLockState> extended = (ExtendedMapEntry<String, DeployLockState>) entry;
      extended.setValue(next, 0, TimeUnit.SECONDS);
    }
    return action == Action.FORCE_RELEASE && next != null ? stored : next;
  }

  private boolean releases(DeployLockState stored) {
    return stored != null && (action == Action.FORCE_RELEASE
        ? stored.heldAt(now) && owner.equals(stored.owner())
        : stored.heldBy(token, owner, now));
  }

  Action action() {
    return action;
  }

  String owner() {
    return owner;
  }

  String reason() {
    return reason;
  }

  long token() {
    return token;
  }

  Instant now() {
    return now;
  }

  Instant expiresAt() {
    return expiresAt;
  }

  private Object writeReplace() throws ObjectStreamException {
    throw CompactOnly.refuseJavaSerialization(this);
  }
}
