package dev.shunt.workflow.internal;

import dev.shunt.DeployLock;
import dev.shunt.LockGrant;
import dev.shunt.LockHeldException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Holds a rollout's deploy lock: acquires it, renews it in the background three times per lease,
 * and releases it. Thread-safe.
 */
final class LockKeeper {
  private final DeployLock lock;
  private final LockGrant grant;
  private final Duration lease;

  private LockKeeper(DeployLock lock, LockGrant grant, Duration lease) {
    this.lock = lock;
    this.grant = grant;
    this.lease = lease;
  }

  /** @throws LockHeldException if someone else holds the lock */
  static LockKeeper acquire(DeployLock lock, String service, String owner, String reason, Duration lease) {
    LockGrant grant = lock.tryAcquire(service, owner, reason, lease)
        .orElseThrow(() -> new LockHeldException(service, lock.holder(service).orElse(null)));
    return new LockKeeper(lock, grant, lease);
  }

  LockGrant grant() {
    return grant;
  }

  /**
   * Renews the lease every third of it on {@code timers}; tells {@code lost} (once) when a renewal
   * is refused, or when renewals kept failing until the lease ran out.
   */
  void renewOn(ScheduledExecutorService timers, Consumer<String> lost) {
    long period = Math.max(1, lease.toMillis() / 3);
    long[] lastRenewal = {System.nanoTime()};
    boolean[] told = {false};
    timers.scheduleAtFixedRate(() -> {
      if (told[0]) {
        return;
      }
      String problem = null;
      try {
        if (lock.renew(grant, lease)) {
          lastRenewal[0] = System.nanoTime();
        } else {
          problem = "lost the deploy lock of " + grant.service() + " (token " + grant.token()
              + "): its lease ran out or it was released by force, and "
              + lock.holder(grant.service()).map(LockGrant::owner).orElse("nobody") + " holds it now";
        }
      } catch (RuntimeException e) {
        if (System.nanoTime() - lastRenewal[0] >= lease.toNanos()) {
          problem = "lost the deploy lock of " + grant.service() + ": cannot renew it (" + e.getMessage() + ")";
        }
      }
      if (problem != null) {
        told[0] = true;
        lost.accept(problem);
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  /** Releases the lock if this grant still holds it; a failure to release is left to the lease. */
  void release() {
    try {
      lock.release(grant);
    } catch (RuntimeException e) {
      System.getLogger(LockKeeper.class.getName()).log(System.Logger.Level.WARNING,
          "cannot release the deploy lock of " + grant.service() + "; it lapses with its lease",
          Masking.URL_CREDENTIALS.loggable(e));
    }
  }
}
