package dev.shunt.internal;

import dev.shunt.DeployLock;
import dev.shunt.LockGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link DeployLock#inMemory()}: one monitor guards every service's lock; tokens start at 1. */
public final class InMemoryDeployLock implements DeployLock {
  private final Clock clock;
  /** The last token handed out per service: kept after release, so tokens only grow. */
  private final Map<String, Long> lastTokens = new HashMap<>();
  private final Map<String, LockGrant> holders = new HashMap<>();

  public InMemoryDeployLock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized Optional<LockGrant> tryAcquire(String service, String owner, String reason, Duration lease) {
    InstanceKeyRules.requireServiceName(service);
    DeployLockRules.requireOwner(owner);
    Objects.requireNonNull(reason, "reason");
    Instant end = DeployLockRules.leaseEnd(clock.instant(), lease);
    if (holder(service).isPresent()) {
      return Optional.empty();
    }
    long token = lastTokens.merge(service, 1L, Long::sum);
    LockGrant grant = new LockGrant(service, owner, reason, token, end);
    holders.put(service, grant);
    return Optional.of(grant);
  }

  @Override
  public synchronized boolean renew(LockGrant grant, Duration lease) {
    Objects.requireNonNull(grant, "grant");
    Instant end = DeployLockRules.leaseEnd(clock.instant(), lease);
    if (!holds(grant)) {
      return false;
    }
    holders.put(grant.service(), new LockGrant(grant.service(), grant.owner(), grant.reason(), grant.token(), end));
    return true;
  }

  @Override
  public synchronized boolean release(LockGrant grant) {
    Objects.requireNonNull(grant, "grant");
    if (!holds(grant)) {
      return false;
    }
    holders.remove(grant.service());
    return true;
  }

  @Override
  public synchronized Optional<LockGrant> forceRelease(String service, String owner) {
    DeployLockRules.requireOwner(owner);
    Optional<LockGrant> released = holder(service).filter(held -> held.owner().equals(owner));
    released.ifPresent(held -> holders.remove(service));
    return released;
  }

  @Override
  public synchronized Optional<LockGrant> holder(String service) {
    InstanceKeyRules.requireServiceName(service);
    return Optional.ofNullable(holders.get(service)).filter(held -> clock.instant().isBefore(held.expiresAt()));
  }

  private boolean holds(LockGrant grant) {
    return holder(grant.service())
        .filter(held -> held.token() == grant.token() && held.owner().equals(grant.owner()))
        .isPresent();
  }
}
