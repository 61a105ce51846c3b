package dev.shunt.hazelcast;

import dev.shunt.LockGrant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.testing.MutableClock;
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
import org.junit.jupiter.api.extension.RegisterExtension;

/** One deploy per service at a time; a lapsed lease is taken over with a greater fencing token. */
class HazelcastDeployLockTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final String CHECKOUT = "checkout";
  private static final Duration LEASE = Duration.ofMinutes(5);

  private MutableClock clock;
  private HazelcastDeployLock onMemberA;
  private HazelcastDeployLock onMemberB;

  @BeforeEach
  void createLocks() {
    clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    onMemberA = HazelcastDeployLock.newBuilder(CLUSTER.member(0)).clock(clock).build();
    onMemberB = HazelcastDeployLock.newBuilder(CLUSTER.member(1)).clock(clock).build();
  }

  @Test
  void freeLockIsGranted() {
    Optional<LockGrant> grant = onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE);

    assertThat(grant).hasValueSatisfying(g -> {
      assertThat(g.service()).isEqualTo(CHECKOUT);
      assertThat(g.owner()).isEqualTo("ci-1");
      assertThat(g.reason()).isEqualTo("release 42");
      assertThat(g.token()).isPositive();
      assertThat(g.expiresAt()).isEqualTo(clock.instant().plus(LEASE));
    });
    assertThat(onMemberB.holder(CHECKOUT)).isEqualTo(grant);
  }

  @Test
  void heldLockIsRefused() {
    LockGrant first = onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(onMemberB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE)).isEmpty();
    assertThat(onMemberA.tryAcquire(CHECKOUT, "ci-1", "again", LEASE)).isEmpty();
    assertThat(onMemberB.holder(CHECKOUT)).contains(first);
  }

  @Test
  void locksOfOtherServicesAreIndependent() {
    onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(onMemberB.tryAcquire("search", "ci-2", "release 7", LEASE)).isPresent();
  }

  @Test
  void lapsedLeaseIsTakenOverWithGreaterToken() {
    LockGrant stale = onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(LEASE);

    LockGrant next = onMemberB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE).orElseThrow();

    assertThat(next.owner()).isEqualTo("ci-2");
    assertThat(next.token()).isGreaterThan(stale.token());
  }

  @Test
  void staleHolderCannotReleaseOrRenewTheNewHoldersLock() {
    LockGrant stale = onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    LockGrant next = onMemberB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE).orElseThrow();

    assertThat(onMemberA.release(stale)).isFalse();
    assertThat(onMemberA.renew(stale, LEASE)).isFalse();
    assertThat(onMemberA.holder(CHECKOUT)).contains(next);
  }

  @Test
  void staleGrantOfTheSameOwnerCannotReleaseItsSuccessor() {
    LockGrant stale = onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(LEASE);
    LockGrant next = onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42, retried", LEASE).orElseThrow();

    assertThat(onMemberA.release(stale)).isFalse();
    assertThat(onMemberB.holder(CHECKOUT)).contains(next);
  }

  @Test
  void lapsedLeaseCannotBeRenewed() {
    LockGrant grant = onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(LEASE);

    assertThat(onMemberA.renew(grant, LEASE)).isFalse();
    assertThat(onMemberB.holder(CHECKOUT)).isEmpty();
  }

  @Test
  void renewExtendsTheLeaseFromNow() {
    LockGrant grant = onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();
    clock.advance(Duration.ofMinutes(4));

    assertThat(onMemberA.renew(grant, LEASE)).isTrue();
    clock.advance(Duration.ofMinutes(4));

    assertThat(onMemberB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE)).isEmpty();
    assertThat(onMemberB.holder(CHECKOUT)).hasValueSatisfying(holder -> {
      assertThat(holder.token()).isEqualTo(grant.token());
      assertThat(holder.expiresAt()).isEqualTo(grant.expiresAt().plus(Duration.ofMinutes(4)));
    });
  }

  @Test
  void releaseFreesTheLock() {
    LockGrant grant = onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(onMemberA.release(grant)).isTrue();

    assertThat(onMemberB.holder(CHECKOUT)).isEmpty();
    assertThat(onMemberB.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE)).isPresent();
  }

  @Test
  void releaseTwiceReleasesOnce() {
    LockGrant grant = onMemberA.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(onMemberA.release(grant)).isTrue();
    assertThat(onMemberB.release(grant)).isFalse();
  }

  @Test
  void clientAndMemberShareTheLock() {
    HazelcastDeployLock onClient = HazelcastDeployLock.newBuilder(CLUSTER.newClient()).clock(clock).build();
    LockGrant grant = onClient.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(onMemberA.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE)).isEmpty();
    assertThat(onMemberA.holder(CHECKOUT)).contains(grant);
    assertThat(onClient.release(grant)).isTrue();
  }

  @Test
  void tokensStrictlyIncreaseAcrossAcquireReleaseCycles() {
    List<Long> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      HazelcastDeployLock lock = i % 2 == 0 ? onMemberA : onMemberB;
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
        HazelcastDeployLock lock = HazelcastDeployLock.newBuilder(CLUSTER.member(i % 3)).clock(clock).build();
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
      assertThat(onMemberA.holder(CHECKOUT)).contains(grants.get(0));
    } finally {
      pool.shutdownNow();
    }
  }
}
