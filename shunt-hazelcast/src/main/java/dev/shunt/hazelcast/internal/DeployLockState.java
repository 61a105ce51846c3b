package dev.shunt.hazelcast.internal;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Instant;

/**
 * The value of the lock map for one service: the last fencing token handed out and, while the
 * lock is taken, who holds it. The entry outlives every holder, so that the next token is always
 * greater than every earlier one. Immutable.
 *
 * @param lastToken the token of the latest grant, 0 before the first
 * @param owner the holder of the latest grant, null once it released the lock
 * @param reason why the holder took the lock, null once released
 * @param expiresAt when the latest grant's lease ends, null once released
 */
public record DeployLockState(long lastToken, String owner, String reason, Instant expiresAt)
    implements Serializable {

  /** A lock that was released after handing out {@code lastToken}. */
  public static DeployLockState free(long lastToken) {
    return new DeployLockState(lastToken, null, null, null);
  }

  /** Whether a holder's lease is still running at {@code now}. */
  public boolean heldAt(Instant now) {
    return owner != null && now.isBefore(expiresAt);
  }

  /** Whether the grant {@code token} of {@code owner} is the one holding the lock at {@code now}. */
  public boolean heldBy(long token, String owner, Instant now) {
    return token == lastToken && owner.equals(this.owner) && heldAt(now);
  }

  private Object writeReplace() throws ObjectStreamException {
    throw CompactOnly.refuseJavaSerialization(this);
  }
}
