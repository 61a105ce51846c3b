package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What one member's store does is what every other member's store sees. */
class ClusterWideStatusTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(2);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");

  private HazelcastStatusStore onMemberA;
  private HazelcastStatusStore onMemberB;

  @BeforeEach
  void createStores() {
    onMemberA = HazelcastStatusStore.create(CLUSTER.member(0));
    onMemberB = HazelcastStatusStore.create(CLUSTER.member(1));
  }

  @Test
  void keyNobodyShuntedIsInRotation() {
    assertThat(onMemberB.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void shuntMadeOnOneMemberIsSeenOnAnother() {
    ShuntStatus shunted = onMemberA.shunt(WEB_1,
        ShuntRequest.of("deploy 42", "rollout-42").withTtl(Duration.ofMinutes(10)));

    assertThat(onMemberB.status(WEB_1)).isEqualTo(shunted);
    assertThat(shunted.reason()).isEqualTo("deploy 42");
    assertThat(shunted.owner()).isEqualTo("rollout-42");
    assertThat(shunted.expiresAt()).isEqualTo(shunted.since().plus(Duration.ofMinutes(10)));
  }

  @Test
  void unshuntMadeOnOneMemberIsSeenOnAnother() {
    onMemberB.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    onMemberA.unshunt(WEB_1);

    assertThat(onMemberB.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void unshuntOfAKeyInRotationDoesNothing() {
    onMemberA.unshunt(WEB_1);

    assertThat(onMemberB.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void shuntedListsTheShuntedKeysOfOneServiceOnly() {
    InstanceKey web2 = InstanceKey.of("checkout", "web-2");
    InstanceKey web3 = InstanceKey.of("checkout", "web-3");
    InstanceKey search = InstanceKey.of("search", "web-1");
    ShuntStatus web1Status = onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));
    ShuntStatus web2Status = onMemberA.shunt(web2, ShuntRequest.of("disk", "ops"));
    onMemberA.shunt(web3, ShuntRequest.of("deploy", "ops"));
    onMemberA.unshunt(web3);
    onMemberA.shunt(search, ShuntRequest.of("deploy", "ops"));

    assertThat(onMemberB.shunted("checkout")).containsExactlyInAnyOrderEntriesOf(
        Map.of(WEB_1, web1Status, web2, web2Status));
  }

  @Test
  void shuntedOfAServiceWithNothingShuntedIsEmpty() {
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    assertThat(onMemberB.shunted("search")).isEmpty();
  }
}
