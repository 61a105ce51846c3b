package dev.shunt;

/**
 * A {@link StatusStore} or {@link DeployLock} call failed in the system behind it, e.g. a cluster
 * that could not be reached or lost a member while it worked on the call; the system's own
 * exception is the cause.
 *
 * <p>{@link #retryable()} says whether the failure can pass by itself — a connection dropped, the
 * member that held the entry left, a call timed out — so that the same call may succeed when
 * made again. Whether the failed call took effect is then unknown; the store operations a
 * rollout's steps make ({@code shunt}, which renews a shunt already made, {@code unshunt}, and
 * the reads) give the same result when made twice, so a rollout retries them
 * ({@code dev.shunt.workflow.RetryPolicy}). Not retryable: a failure that would come again, such
 * as a store used after it was closed or an entry that cannot be serialized. The flag-file store
 * decides the same way: a file lock that could not be taken for now (the lock call failed, e.g.
 * no locks available on a network file system) is retryable; a file it may not read or write
 * (permission denied), a link, a file that is not regular, a malformed file, a full disk is not.
 *
 * <p>Immutable and thread-safe.
 */
public final class StoreException extends ShuntException {
  private static final long serialVersionUID = 1L;

  /**
   * A store failure caused by {@code cause}, the system's own exception (null if there is none).
   *
   * @param message what failed
   * @param cause the system's own exception, or null
   * @param retryable whether the failure can pass by itself, so that making the call again may
   *     succeed ({@link #retryable()})
   */
  public StoreException(String message, Throwable cause, boolean retryable) {
    super(message, cause, retryable);
  }
}
