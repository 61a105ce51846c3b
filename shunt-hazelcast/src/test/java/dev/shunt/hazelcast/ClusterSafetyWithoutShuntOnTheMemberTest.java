package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.StepFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client's gate on a cluster whose member was not started with shunt-hazelcast's serializers. */
class ClusterSafetyWithoutShuntOnTheMemberTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(1).withoutShuntSerializers();

  @Test
  void failsAtOnceSayingWhatTheMemberLacks() {
    ClusterSafety safety = ClusterSafety.builder(CLUSTER.newClient()).build();

    assertThatThrownBy(() -> safety.beforeRestart().run(GateContext.forHost("web-1")))
        .isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("cannot learn whether the Hazelcast cluster is safe: the member "
            + CLUSTER.memberAddresses().get(0) + " cannot run shunt's cluster-safety probe (it cannot read it): every"
            + " member needs shunt-hazelcast on its class path and its Config passed through"
            + " HazelcastStatusStore.configure(...)");
  }
}
