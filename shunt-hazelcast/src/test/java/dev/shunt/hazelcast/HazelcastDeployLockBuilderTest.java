package dev.shunt.hazelcast;

import dev.shunt.LockGrant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Settings and arguments of a {@link HazelcastDeployLock} are checked at once, with plain messages. */
class HazelcastDeployLockBuilderTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(1);

  private static final Duration LEASE = Duration.ofMinutes(5);

  @Test
  void defaultMapIsShuntLocks() {
    assertThat(HazelcastDeployLock.builder(CLUSTER.member(0)).build().mapName()).isEqualTo("shunt.locks");
  }

  @Test
  void toBuilderKeepsTheSettings() {
    HazelcastDeployLock lock = HazelcastDeployLock.builder(CLUSTER.member(0)).mapName("staging.locks").build();

    assertThat(lock.toBuilder().build().mapName()).isEqualTo("staging.locks");
  }

  @Test
  void blankMapNameIsRefused() {
    assertThatThrownBy(() -> HazelcastDeployLock.builder(CLUSTER.member(0)).mapName(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mapName must be a non-blank map name, was ' '");
  }

  @Test
  void missingClockIsRefused() {
    assertThatThrownBy(() -> HazelcastDeployLock.builder(CLUSTER.member(0)).clock(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clock must be set, was null");
  }

  @Test
  void blankOwnerIsRefused() {
    HazelcastDeployLock lock = HazelcastDeployLock.builder(CLUSTER.member(0)).build();

    assertThatThrownBy(() -> lock.tryAcquire("checkout", "  ", "release 42", LEASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("owner must not be blank, was '  '");
  }

  @Test
  void nonPositiveLeaseIsRefused() {
    HazelcastDeployLock lock = HazelcastDeployLock.builder(CLUSTER.member(0)).build();

    assertThatThrownBy(() -> lock.tryAcquire("checkout", "ci-1", "release 42", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease must be a positive duration, was PT0S");
  }

  @Test
  void nonPositiveLeaseIsRefusedOnRenew() {
    HazelcastDeployLock lock = HazelcastDeployLock.builder(CLUSTER.member(0)).build();
    LockGrant grant = new LockGrant("checkout", "ci-1", "release 42", 1, Instant.now());

    assertThatThrownBy(() -> lock.renew(grant, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease must be a positive duration, was PT-1S");
  }

  @Test
  void invalidServiceNameIsRefused() {
    HazelcastDeployLock lock = HazelcastDeployLock.builder(CLUSTER.member(0)).build();

    assertThatThrownBy(() -> lock.tryAcquire("check out", "ci-1", "release 42", LEASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("service must be 1 to 200 of the characters")
        .hasMessageEndingWith("was 'check out'");
  }
}
