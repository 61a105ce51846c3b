package dev.shunt;

import java.util.Objects;

/**
 * A service's {@link DeployLock} is held by someone else, so a deploy that needs it did not start.
 * Nothing was changed.
 */
public final class LockHeldException extends ShuntException {
  private static final long serialVersionUID = 1L;

  private final String service;
  private final transient LockGrant holder;

  public LockHeldException(String service, LockGrant holder) {
    super("the deploy lock of " + service + " is held by " + describe(holder));
    this.service = Objects.requireNonNull(service, "service");
    this.holder = holder;
  }

  private static String describe(LockGrant holder) {
    if (holder == null) {
      return "someone else (it changed hands while it was read)";
    }
    return "'" + holder.owner() + "' (" + holder.reason() + ") until " + holder.expiresAt()
        + ", token " + holder.token();
  }

  /** The grant that held the lock when it was refused, or null if it could not be read. */
  public LockGrant holder() {
    return holder;
  }

  /** The service whose lock is held. */
  public String service() {
    return service;
  }
}
