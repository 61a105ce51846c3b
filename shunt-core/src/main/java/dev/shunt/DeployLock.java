package dev.shunt;

import dev.shunt.internal.FlagFileDeployLock;
import dev.shunt.internal.InMemoryDeployLock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A lock per service, so that only one deploy of a service runs at a time: a deploy tool
 * {@link #tryAcquire acquires} it before it starts, {@link #renew renews} it while it works and
 * {@link #release releases} it when done. Every acquisition carries a lease; a tool that crashes
 * or forgets to release leaves a lock that lapses by itself when its lease ends.
 *
 * <p>Every grant carries a fencing {@linkplain LockGrant#token() token} greater than that of every
 * earlier grant for the service, so that a holder that paused past its lease and woke up after
 * someone else took the lock can be told apart: {@link #renew} and {@link #release} with a stale
 * grant return false and leave the new holder in place.
 *
 * <p>A lock whose deploy is known to be gone can be taken from its owner at once with
 * {@link #forceRelease}, rather than waiting for its lease to end.
 *
 * <p>Implementations: {@link #inMemory()} for the deploy tools of one process;
 * {@link #flagFiles(Path)} for those of one host;
 * {@code shunt-hazelcast}'s {@code HazelcastDeployLock} across a fleet. Thread-safe.
 */
public interface DeployLock {

  /**
   * Acquires the lock of {@code service} for {@code owner} if it is free, or if its holder's
   * lease has ended; the new lease runs {@code lease} from now.
   *
   * @param service the service whose lock is asked for
   * @param owner who acquires it, not blank (e.g. the deploy tool and its run)
   * @param reason why, shown to whoever finds the lock held
   * @param lease how long the lock is held unless renewed or released, positive
   * @return the grant; empty if someone else (or {@code owner} itself, through an earlier grant)
   *     holds the lock
   * @throws IllegalArgumentException naming the argument, its value and the rule it breaks
   */
  Optional<LockGrant> tryAcquire(String service, String owner, String reason, Duration lease);

  /**
   * Extends the lease of {@code grant} to {@code lease} from now, if that grant still holds the
   * lock.
   *
   * @param grant the grant acquired earlier
   * @param lease the new lease, counted from now; positive
   * @return whether the lease was extended; false means the grant lost the lock, and the deploy
   *     should stop writing under it
   */
  boolean renew(LockGrant grant, Duration lease);

  /**
   * Releases the lock if {@code grant} still holds it.
   *
   * @param grant the grant acquired earlier
   * @return whether this call released the lock
   */
  boolean release(LockGrant grant);

  /**
   * Releases the lock of {@code service} if {@code owner} holds it now, whichever grant it holds
   * it by: for an operator who knows that the deploy holding the lock is gone (it crashed, its
   * machine died) and will not wait for its lease to end. Naming the owner keeps this from taking
   * the lock of a deploy that acquired it meanwhile. Atomic: the check and the release are one
   * step, so only the grant that was read is released.
   *
   * <p>A deploy still running under the released grant can no longer {@linkplain #renew renew}
   * or {@linkplain #release release} it: it learns at its next renewal that it lost the lock.
   *
   * @param service the service whose lock is released
   * @param owner the owner the lock is taken from, not blank
   * @return the grant that this call released; empty if the lock is free, its lease ended, or
   *     another owner holds it: then nothing was changed
   * @throws IllegalArgumentException if {@code service} is not a valid service name or
   *     {@code owner} is blank
   */
  Optional<LockGrant> forceRelease(String service, String owner);

  /**
   * The grant holding the lock of {@code service} now, or empty if it is free or lapsed.
   *
   * @param service the service whose lock is asked about
   * @return the current holder's grant, or empty
   */
  Optional<LockGrant> holder(String service);

  /**
   * A lock for the deploy tools of this process, on the system clock.
   *
   * @return a new in-memory lock
   */
  static DeployLock inMemory() {
    return new InMemoryDeployLock(Clock.systemUTC());
  }

  /**
   * A lock for the deploy tools of this process, on {@code clock}.
   *
   * @param clock the clock leases are counted on; not null
   * @return a new in-memory lock
   */
  static DeployLock inMemory(Clock clock) {
    return new InMemoryDeployLock(clock);
  }

  /**
   * A lock in files under {@code directory}, shared by every process on the host (e.g. deploy
   * tools run from one bastion): {@code directory/<service>/deploy.lock}. Pass the directory of
   * the {@link StatusStore#flagFiles flag-file store} to keep both together.
   *
   * @param directory the directory holding the lock files; not null
   * @return a lock on the system clock
   */
  static DeployLock flagFiles(Path directory) {
    return new FlagFileDeployLock(directory, Clock.systemUTC());
  }

  /**
   * {@link #flagFiles(Path)} on {@code clock}.
   *
   * @param directory the directory holding the lock files; not null
   * @param clock the clock leases are counted on; not null
   * @return a lock on {@code clock}
   */
  static DeployLock flagFiles(Path directory, Clock clock) {
    return new FlagFileDeployLock(directory, clock);
  }
}
