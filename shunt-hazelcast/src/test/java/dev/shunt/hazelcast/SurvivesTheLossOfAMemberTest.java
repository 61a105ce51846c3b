package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Member;
import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.hazelcast.internal.MapKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With Hazelcast's default of one synchronous backup, what was written before a member dies
 * abruptly is still there afterwards, for the stores that were open and for new ones.
 */
class SurvivesTheLossOfAMemberTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final int SHUNTS = 20;
  private static final Duration PROPAGATION = Duration.ofSeconds(2);

  @Test
  void everyShuntAndFlagWrittenBeforeAMemberDiesOutlivesIt() throws InterruptedException {
    HazelcastStatusStore onMember0 = HazelcastStatusStore.builder(CLUSTER.member(0)).build();
    HazelcastStatusStore onMember1 = HazelcastStatusStore.builder(CLUSTER.member(1)).build();
    Map<InstanceKey, ShuntStatus> shunted = new LinkedHashMap<>();
    for (int i = 0; i < SHUNTS; i++) {
      InstanceKey key = InstanceKey.of("checkout", "web-" + i);
      shunted.put(key, onMember0.shunt(key, ShuntRequest.of("deploy", "rollout-" + i)));
    }
    MaintenanceFlag flag = MaintenanceFlag.of("database upgrade", "ops",
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
    onMember0.startMaintenance("checkout", flag);
    Member dying = CLUSTER.member(2).getCluster().getLocalMember();
    assertThat(shunted.keySet()).as("keys whose primary copy is on the member that dies")
        .anyMatch(key -> CLUSTER.member(0).getPartitionService().getPartition(MapKey.of(key))
            .getOwner().equals(dying));
    Poll.until(PROPAGATION, "every shunt seen on member 1",
        () -> shunted.keySet().stream().allMatch(key -> onMember1.status(key).shunted()));

    CLUSTER.terminate(2);

    shunted.forEach((key, status) -> assertThat(onMember1.status(key)).isEqualTo(status));
    assertThat(onMember1.maintenance("checkout")).isEqualTo(Optional.of(flag));
    try (HazelcastStatusStore createdAfterTheLoss = HazelcastStatusStore.builder(CLUSTER.member(1)).build()) {
      shunted.forEach((key, status) -> assertThat(createdAfterTheLoss.status(key)).isEqualTo(status));
      assertThat(createdAfterTheLoss.maintenance("checkout")).isEqualTo(Optional.of(flag));
      assertThat(createdAfterTheLoss.shuntedInstances("checkout")).isEqualTo(shunted);
    }
    onMember0.close();
    onMember1.close();
  }
}
