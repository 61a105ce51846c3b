package dev.shunt;

import dev.shunt.internal.DeployLockRules;
import dev.shunt.internal.InstanceKeyRules;
import java.time.Instant;
import java.util.Objects;

/**
 * One acquisition of a service's {@link DeployLock}: what a deploy tool keeps while it deploys, to
 * {@link DeployLock#renew renew} and {@link DeployLock#release release} the lock, and whose
 * {@link #token()} it passes along with every write it makes under the lock. Immutable.
 *
 * @param service the service the lock is for
 * @param owner who acquired it (e.g. the deploy tool and its run)
 * @param reason why the lock was taken, shown to whoever finds it held
 * @param token the fencing token: greater than that of every earlier grant for the service (see
 *     the lock's documentation for the exceptions, such as a network partition)
 * @param expiresAt when the lease ends unless renewed, on the clock of the lock that granted or
 *     last renewed it
 */
public record LockGrant(String service, String owner, String reason, long token, Instant expiresAt) {

  /**
   * @param service the service the lock is for
   * @param owner who acquired it
   * @param reason why the lock was taken, shown to whoever finds it held
   * @param token the fencing token
   * @param expiresAt when the lease ends unless renewed
   * @throws IllegalArgumentException naming the component, its value and the rule it breaks
   */
  public LockGrant {
    InstanceKeyRules.requireServiceName(service);
    DeployLockRules.requireOwner(owner);
    Objects.requireNonNull(reason, "reason");
    if (token < 1) {
      throw new IllegalArgumentException("token must be >= 1, was " + token);
    }
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
