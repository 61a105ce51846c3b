package dev.shunt;

import java.util.Objects;

/**
 * A service's {@link DeployLock} is held by someone else, so a deploy that needs it did not start.
 * Nothing was changed.
 */
public final class LockHeldException extends ShuntException {
  private static final long serialVersionUID = 1L;

  /** The service whose lock is held. */
  private final String service;
  private final transient LockGrant holder;

  /**
   * A refusal to acquire the lock of {@code service}.
   *
   * @param service the service whose lock is held; not null
   * @param holder the grant holding it, or null if it could not be read
   */
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

  /**
   * The grant that held the lock when it was refused, or null if it could not be read.
   *
   * @return the holder's grant, or null
   */
  public LockGrant holder() {
    return holder;
  }

  /**
   * The service whose lock is held.
   *
   * @return the service's name
   */
  public String service() {
    return service;
  }
}
