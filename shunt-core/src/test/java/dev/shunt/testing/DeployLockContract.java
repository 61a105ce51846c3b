package dev.shunt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.DeployLock;
import dev.shunt.LockGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeployLock} promises: one deploy per service at a time; a lapsed lease is taken
 * over with a greater fencing token; a stale grant changes nothing; a force-release takes the lock
 * from the owner named, never from another. Each lock's test extends this
 * with a factory of views of one new lock (e.g. the same lock reached through different cluster
 * members).
 */
public abstract class DeployLockContract {
  private static final String CHECKOUT = "checkout";
  private static final Duration LEASE = Duration.ofMinutes(5);

  protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private List<DeployLock> views;
  private DeployLock lockA;
  private DeployLock lockB;

  /** At least two views of one new, free lock on {@code clock}; they share every grant. */
  protected abstract List<DeployLock> newLockViews(Clock clock);

  @BeforeEach
  void createLocks() {
    views = newLockViews(clock);
    assertThat(views).hasSizeGreaterThanOrEqualTo(2);
    lockA = views.get(0);
    lockB = views.get(1);
  }

  @Test
  void freeLockIsGranted() {
    Optional<LockGrant> grant = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE);

    assertThat(grant).hasValueSatisfying(g -> {
      assertThat(g.service()).isEqualTo(CHECKOUT);
      assertThat(g.owner()).isEqualTo("ci-1");
      assertThat(g.reason()).isEqualTo("release 42");
      assertThat(g.token()).isPositive();
      assertThat(g.expiresAt()).isEqualTo(clock.instant().plus(LEASE));
    });
    assertThat(lockB.holder(CHECKOUT)).isEqualTo(grant);
  }

  @Test
  void heldLockIsRefused() {
    LockGrant first = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(lockB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE)).isEmpty();
    assertThat(lockA.tryAcquire(CHECKOUT, "ci-1", "again", LEASE)).isEmpty();
    assertThat(lockB.holder(CHECKOUT)).contains(first);
  }

  @Test
  void locksOfOtherServicesAreIndependent() {
    lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(lockB.tryAcquire("search", "ci-2", "release 7", LEASE)).isPresent();
  }

  @Test
  void lapsedLeaseIsTakenOverWithGreaterToken() {
    LockGrant stale = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(LEASE);

    LockGrant next = lockB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE).orElseThrow();

    assertThat(next.owner()).isEqualTo("ci-2");
    assertThat(next.token()).isGreaterThan(stale.token());
  }

  @Test
  void staleHolderCannotReleaseOrRenewTheNewHoldersLock() {
    LockGrant stale = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    LockGrant next = lockB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE).orElseThrow();

    assertThat(lockA.release(stale)).isFalse();
    assertThat(lockA.renew(stale, LEASE)).isFalse();
    assertThat(lockA.holder(CHECKOUT)).contains(next);
  }

  @Test
  void staleGrantOfTheSameOwnerCannotReleaseItsSuccessor() {
    LockGrant stale = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(LEASE);
    LockGrant next = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42, retried", LEASE).orElseThrow();

    assertThat(lockA.release(stale)).isFalse();
    assertThat(lockB.holder(CHECKOUT)).contains(next);
  }

  @Test
  void lapsedLeaseCannotBeRenewed() {
    LockGrant grant = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(LEASE);

    assertThat(lockA.renew(grant, LEASE)).isFalse();
    assertThat(lockB.holder(CHECKOUT)).isEmpty();
  }

  @Test
  void renewExtendsTheLeaseFromNow() {
    LockGrant grant = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(Duration.ofMinutes(4));

    assertThat(lockA.renew(grant, LEASE)).isTrue();
    clock.advance(Duration.ofMinutes(4));

    assertThat(lockB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE)).isEmpty();
    assertThat(lockB.holder(CHECKOUT)).hasValueSatisfying(holder -> {
      assertThat(holder.token()).isEqualTo(grant.token());
      assertThat(holder.expiresAt()).isEqualTo(grant.expiresAt().plus(Duration.ofMinutes(4)));
    });
  }

  @Test
  void releaseFreesTheLock() {
    LockGrant grant = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(lockA.release(grant)).isTrue();

    assertThat(lockB.holder(CHECKOUT)).isEmpty();
    assertThat(lockB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE)).isPresent();
  }

  @Test
  void releaseTwiceReleasesOnce() {
    LockGrant grant = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(lockA.release(grant)).isTrue();
    assertThat(lockB.release(grant)).isFalse();
  }

  @Test
  void tokensStrictlyIncreaseAcrossAcquireReleaseCycles() {
    List<Long> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      DeployLock lock = i % 2 == 0 ? lockA : lockB;
      LockGrant grant = lock.tryAcquire(CHECKOUT, "ci-" + i, "cycle " + i, LEASE).orElseThrow();
      tokens.add(grant.token());
      assertThat(lock.release(grant)).isTrue();
    }

    for (int i = 1; i < tokens.size(); i++) {
      assertThat(tokens.get(i)).isGreaterThan(tokens.get(i - 1));
    }
  }

  @Test
  void concurrentAcquisitionsAcrossMembersGrantExactlyOne() throws Exception {
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Optional<LockGrant>>> attempts = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        DeployLock lock = views.get(i % views.size());
        String owner = "ci-" + i;
        Callable<Optional<LockGrant>> attempt = () -> {
          start.await();
          return lock.tryAcquire(CHECKOUT, owner, "race", LEASE);
        };
        attempts.add(pool.submit(attempt));
      }
      start.countDown();

      List<LockGrant> grants = new ArrayList<>();
      for (Future<Optional<LockGrant>> attempt : attempts) {
        attempt.get().ifPresent(grants::add);
      }
      assertThat(grants).hasSize(1);
      assertThat(lockA.holder(CHECKOUT)).contains(grants.get(0));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void forceReleaseTakesTheLockFromItsOwnerAndReturnsTheGrant() {
    LockGrant held = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(lockB.forceRelease(CHECKOUT, "ci-1")).contains(held);

    assertThat(lockA.holder(CHECKOUT)).isEmpty();
    assertThat(lockB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE))
        .hasValueSatisfying(next -> assertThat(next.token()).isGreaterThan(held.token()));
  }

  @Test
  void forceReleaseOfAnotherOwnersLockChangesNothing() {
    LockGrant held = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(lockB.forceRelease(CHECKOUT, "ci-2")).isEmpty();

    assertThat(lockB.holder(CHECKOUT)).contains(held);
    assertThat(lockA.renew(held, LEASE)).isTrue();
  }

  @Test
  void forceReleaseNeverTakesTheLockOfADeployThatAcquiredItMeanwhile() {
    lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(LEASE);
    LockGrant next = lockB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE).orElseThrow();

    assertThat(lockA.forceRelease(CHECKOUT, "ci-1")).isEmpty();

    assertThat(lockB.holder(CHECKOUT)).contains(next);
  }

  @Test
  void forceReleaseOfAFreeOrLapsedLockReleasesNothing() {
    assertThat(lockA.forceRelease(CHECKOUT, "ci-1")).as("never taken").isEmpty();
    LockGrant released = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    lockA.release(released);
    assertThat(lockB.forceRelease(CHECKOUT, "ci-1")).as("released").isEmpty();
    lockA.tryAcquire(CHECKOUT, "ci-1", "release 43", LEASE).orElseThrow();
    clock.advance(LEASE);

    assertThat(lockB.forceRelease(CHECKOUT, "ci-1")).as("lapsed").isEmpty();
  }

  @Test
  void holderWhoseLockWasForceReleasedCannotRenewOrReleaseIt() {
    LockGrant held = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    lockB.forceRelease(CHECKOUT, "ci-1").orElseThrow();

    assertThat(lockA.renew(held, LEASE)).isFalse();
    assertThat(lockA.release(held)).isFalse();
    assertThat(lockB.holder(CHECKOUT)).isEmpty();
  }

  @Test
  void forceReleaseLeavesOtherServicesAlone() {
    LockGrant search = lockA.tryAcquire("search", "ci-1", "release 7", LEASE).orElseThrow();
    lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    lockB.forceRelease(CHECKOUT, "ci-1").orElseThrow();

    assertThat(lockB.holder("search")).contains(search);
  }

  @Test
  void concurrentForceReleasesReleaseOnce() throws Exception {
    lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Optional<LockGrant>>> attempts = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        DeployLock lock = views.get(i % views.size());
        Callable<Optional<LockGrant>> attempt = () -> {
          start.await();
          return lock.forceRelease(CHECKOUT, "ci-1");
        };
        attempts.add(pool.submit(attempt));
      }
      start.countDown();

      int released = 0;
      for (Future<Optional<LockGrant>> attempt : attempts) {
        released += attempt.get().isPresent() ? 1 : 0;
      }
      assertThat(released).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void forceReleaseNeedsAnOwner() {
    LockGrant held = lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThatThrownBy(() -> lockB.forceRelease(CHECKOUT, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("owner must not be blank, was ' '");
    assertThat(lockB.holder(CHECKOUT)).contains(held);
  }

  @Test
  void leaseThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> lockA.tryAcquire(CHECKOUT, "ci-1", "release 42", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease must be a positive duration, was PT0S");
    assertThat(lockB.holder(CHECKOUT)).isEmpty();
  }
}
