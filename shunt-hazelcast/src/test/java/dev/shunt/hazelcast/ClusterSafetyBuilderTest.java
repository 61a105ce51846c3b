package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClusterSafety.Builder}: its defaults and the settings it refuses, each named in the message. */
class ClusterSafetyBuilderTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(1);

  @Test
  void defaultsWaitFiveMinutesAskingEverySecondForTheCountSeenBeforeTheRestart() {
    ClusterSafety safety = ClusterSafety.builder(CLUSTER.member(0)).build();

    assertThat(safety.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(safety.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(safety.expectedMembers()).isZero();
  }

  @Test
  void withMethodsChangeOneSettingAndKeepTheOthers() {
    ClusterSafety safety = ClusterSafety.builder(CLUSTER.member(0)).build().withTimeout(Duration.ofMinutes(1))
        .withPollInterval(Duration.ofMillis(200)).withExpectedMembers(3);

    assertThat(safety).hasToString("ClusterSafety{timeout=PT1M, pollInterval=PT0.2S, expectedMembers=3}");
  }

  @Test
  void refusesAMissingInstance() {
    assertThatThrownBy(() -> ClusterSafety.builder(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("hazelcast must be set, was null");
  }

  @Test
  void refusesATimeoutThatIsNotPositive() {
    assertThatThrownBy(() -> ClusterSafety.builder(CLUSTER.member(0)).timeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, was PT0S");
  }

  @Test
  void refusesAPollIntervalLongerThanTheTimeout() {
    assertThatThrownBy(() -> ClusterSafety.builder(CLUSTER.member(0)).timeout(Duration.ofSeconds(1))
        .pollInterval(Duration.ofSeconds(2)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("pollInterval must be at most timeout (PT1S), was PT2S");
  }

  @Test
  void refusesANegativeMemberCount() {
    assertThatThrownBy(() -> ClusterSafety.builder(CLUSTER.member(0)).expectedMembers(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expectedMembers must be >= 1, or 0 for as seen before the restart, was -1");
  }
}
