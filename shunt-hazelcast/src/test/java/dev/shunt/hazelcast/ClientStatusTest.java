package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A store on a Hazelcast client shares the status of the cluster it connects to. */
class ClientStatusTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(2);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");

  private static HazelcastInstance client;

  @BeforeAll
  static void connectClient() {
    client = CLUSTER.newClient();
  }

  @Test
  void clientSeesAShuntMadeOnAMember() {
    ShuntStatus shunted = HazelcastStatusStore.create(CLUSTER.member(0))
        .shunt(WEB_1, ShuntRequest.of("deploy", "rollout-7").withTtl(Duration.ofMinutes(5)));

    assertThat(HazelcastStatusStore.create(client).status(WEB_1)).isEqualTo(shunted);
  }

  @Test
  void memberSeesAShuntMadeThroughAClient() {
    ShuntStatus shunted = HazelcastStatusStore.create(client)
        .shunt(WEB_1, ShuntRequest.of("deploy", "rollout-7"));

    assertThat(HazelcastStatusStore.create(CLUSTER.member(1)).status(WEB_1)).isEqualTo(shunted);
  }

  @Test
  void memberSeesAnUnshuntMadeThroughAClient() {
    HazelcastStatusStore.create(CLUSTER.member(0)).shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    HazelcastStatusStore.create(client).unshunt(WEB_1);

    assertThat(HazelcastStatusStore.create(CLUSTER.member(1)).status(WEB_1))
        .isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void clientListsTheShuntedKeysOfAService() {
    ShuntStatus shunted = HazelcastStatusStore.create(CLUSTER.member(0))
        .shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    assertThat(HazelcastStatusStore.create(client).shunted("checkout")).containsExactly(
        Map.entry(WEB_1, shunted));
  }
}
