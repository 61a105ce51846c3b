package dev.shunt.internal;

import dev.shunt.DeployLock;
import dev.shunt.LockGrant;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/** What every {@link DeployLock} checks of an owner and a lease, so that all of them agree. */
public final class DeployLockRules {
  private DeployLockRules() {}

  /**
   * Checks that {@code owner} is not blank.
   *
   * @return {@code owner}
   * @throws IllegalArgumentException naming the rule when it is blank
   */
  public static String requireOwner(String owner) {
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("owner must not be blank, was "
          + (owner == null ? "null" : "'" + owner + "'"));
    }
    return owner;
  }

  /**
   * When a lease of {@code lease} taken at {@code now} ends: what every lock stores as a grant's
   * {@link LockGrant#expiresAt()}.
   *
   * @throws IllegalArgumentException if {@code lease} is not positive, or ends past {@link Instant#MAX}
   */
  public static Instant leaseEnd(Instant now, Duration lease) {
    if (lease == null || lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be a positive duration, was " + lease);
    }
    try {
      return now.plus(lease);
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("lease must end before " + Instant.MAX + ", was " + lease, e);
    }
  }
}
