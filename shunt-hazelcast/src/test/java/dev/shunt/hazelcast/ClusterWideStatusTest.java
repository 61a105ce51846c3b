package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What one member's store does is what every other member's store sees, within moments. */
class ClusterWideStatusTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");
  private static final Duration PROPAGATION = Duration.ofSeconds(2);

  private HazelcastStatusStore onMemberA;
  private HazelcastStatusStore onMemberB;

  @BeforeEach
  void createStores() {
    onMemberA = HazelcastStatusStore.builder(CLUSTER.member(0)).build();
    onMemberB = HazelcastStatusStore.builder(CLUSTER.member(1)).build();
  }

  @AfterEach
  void closeStores() {
    onMemberA.close();
    onMemberB.close();
  }

  @Test
  void keyNobodyShuntedIsInRotation() {
    assertThat(onMemberB.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void shuntMadeOnOneMemberIsSeenOnAnother() throws InterruptedException {
    ShuntStatus shunted = onMemberA.shunt(WEB_1,
        ShuntRequest.of("deploy 42", "rollout-42").withTtl(Duration.ofMinutes(10)));

    Poll.until(PROPAGATION, "the shunt seen on member B", () -> onMemberB.status(WEB_1).equals(shunted));
    assertThat(shunted.reason()).isEqualTo("deploy 42");
    assertThat(shunted.owner()).isEqualTo("rollout-42");
    assertThat(shunted.expiresAt()).isEqualTo(shunted.since().plus(Duration.ofMinutes(10)));
  }

  @Test
  void unshuntMadeOnOneMemberIsSeenOnAnother() throws InterruptedException {
    onMemberB.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    onMemberA.unshunt(WEB_1);

    Poll.until(PROPAGATION, "the unshunt seen on member B", () -> !onMemberB.status(WEB_1).shunted());
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

    assertThat(onMemberB.shuntedInstances("checkout")).containsExactlyInAnyOrderEntriesOf(
        Map.of(WEB_1, web1Status, web2, web2Status));
  }

  @Test
  void shuntedOfAServiceWithNothingShuntedIsEmpty() {
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    assertThat(onMemberB.shuntedInstances("search")).isEmpty();
  }
}
