package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.DeployLock;
import dev.shunt.LockGrant;
import dev.shunt.testing.DeployLockContract;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link DeployLock} contract on three real members, plus a client sharing the lock. */
class HazelcastDeployLockTest extends DeployLockContract {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final String CHECKOUT = "checkout";
  private static final Duration LEASE = Duration.ofMinutes(5);

  @Override
  protected List<DeployLock> newLockViews(Clock clock) {
    return IntStream.range(0, 3)
        .<DeployLock>mapToObj(i -> HazelcastDeployLock.builder(CLUSTER.member(i)).clock(clock).build())
        .toList();
  }

  @Test
  void clientAndMemberShareTheLock() {
    HazelcastDeployLock onMember = HazelcastDeployLock.builder(CLUSTER.member(0)).clock(clock).build();
    HazelcastDeployLock onClient = HazelcastDeployLock.builder(CLUSTER.newClient()).clock(clock).build();
    LockGrant grant = onClient.tryAcquire(CHECKOUT, "ci-1", "release 42", LEASE).orElseThrow();

    assertThat(onMember.tryAcquire(CHECKOUT, "ci-2", "release 43", LEASE)).isEmpty();
    assertThat(onMember.holder(CHECKOUT)).contains(grant);
    assertThat(onClient.release(grant)).isTrue();
  }

}
