package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import dev.shunt.ClusterGate;
import dev.shunt.ShuntTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cluster-safety gate on a whole, quiet cluster of three members, from a member and from a client. */
class ClusterSafetyTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final String SAFE_OUTCOME = "cluster safe, 3 members, after \\d+ ms";

  @Test
  void beforeRestartOnAMemberOpensOnASafeClusterAndSaysSo() throws Exception {
    GateContext context = GateContext.forHost("web-1");

    ClusterSafety.builder(CLUSTER.member(0)).build().beforeRestart().run(context);

    assertThat(context.outcome()).matches(SAFE_OUTCOME);
    assertThat(context.lines()).isEmpty();
  }

  @Test
  void beforeRestartThroughAClientAsksAMemberAndOpens() throws Exception {
    GateContext context = GateContext.forHost("web-1");

    ClusterSafety.builder(CLUSTER.newClient()).build().beforeRestart().run(context);

    assertThat(context.outcome()).matches(SAFE_OUTCOME);
  }

  @Test
  void afterReadinessWaitsForTheMemberCountSeenBeforeTheRestart() throws Exception {
    ClusterSafety safety = ClusterSafety.builder(CLUSTER.newClient()).build();
    GateContext before = GateContext.forHost("web-1");
    GateContext after = GateContext.forHost("web-1");

    safety.beforeRestart().run(before);
    safety.afterReadiness().run(after);

    assertThat(after.outcome()).matches(SAFE_OUTCOME);
  }

  @Test
  void afterReadinessFailsNamingTheMissingMembersWhenTheClusterStaysSmaller() {
    ClusterSafety safety = ClusterSafety.builder(CLUSTER.newClient()).expectedMembers(4)
        .timeout(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(100)).build();
    GateContext context = GateContext.forHost("web-1");

    assertThatThrownBy(() -> safety.afterReadiness().run(context))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessage("the Hazelcast cluster was not whole and safe within PT0.3S: members missing: expected 4,"
            + " saw 3 " + CLUSTER.memberAddresses());
    assertThat(context.lines()).containsExactly("waiting for the Hazelcast cluster: members missing: expected 4,"
        + " saw 3 " + CLUSTER.memberAddresses());
  }

  @Test
  void beforeRestartAlsoWaitsForTheExpectedMembersWhenGiven() {
    ClusterSafety safety = ClusterSafety.builder(CLUSTER.member(1)).expectedMembers(4)
        .timeout(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(50)).build();

    assertThatThrownBy(() -> safety.beforeRestart().run(GateContext.forHost("web-1")))
        .isInstanceOf(ShuntTimeoutException.class)
        .hasMessageContaining("members missing: expected 4, saw 3");
  }

  @Test
  void preflightFindsNothingOnAWholeSafeCluster() {
    assertThat(ClusterSafety.builder(CLUSTER.newClient()).expectedMembers(3).build().preflight()).isEmpty();
  }

  @Test
  void preflightCallsFewerMembersThanExpectedAnError() {
    List<ClusterGate.Problem> problems = ClusterSafety.builder(CLUSTER.newClient()).expectedMembers(5).build().preflight();

    assertThat(problems).containsExactly(ClusterGate.Problem.error("the Hazelcast cluster has members missing:"
        + " expected 5, saw 3 " + CLUSTER.memberAddresses() + " before anything was restarted: bring the missing"
        + " member back, or expect fewer"));
  }

  @Test
  void bothStepsBelongToTheGateAndDescribeTheirLimits() {
    HazelcastInstance client = CLUSTER.newClient();
    ClusterSafety safety = ClusterSafety.builder(client).timeout(Duration.ofMinutes(2)).build();

    assertThat(safety.beforeRestart().gate()).isSameAs(safety);
    assertThat(safety.afterReadiness().gate()).isSameAs(safety);
    assertThat(safety.beforeRestart().describe()).hasToString("cluster-safe [GATE] timeout=PT2M"
        + " waitsFor=no migration, backups in sync members=any pollInterval=PT1S");
    assertThat(safety.afterReadiness().describe()).hasToString("cluster-rejoined [GATE] timeout=PT2M"
        + " waitsFor=all members back, no migration, backups in sync members=as-before-restart pollInterval=PT1S");
  }
}
