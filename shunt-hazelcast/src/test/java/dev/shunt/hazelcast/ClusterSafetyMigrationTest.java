package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.shunt.ShuntTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gate during a real migration: a member joins a cluster that holds data, and the partitions
 * it is to own move to it one by one. Few partitions and a second's pause after each migration
 * (Hazelcast's {@code hazelcast.partition.migration.interval}) keep the cluster unsafe for
 * several seconds, long enough to be seen on a loaded machine.
 */
@Tag("drill") // long: run by .ci/run through -Pdrills, not by ./mvnw install
class ClusterSafetyMigrationTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(2)
      .withProperty("hazelcast.partition.count", "5")
      .withProperty("hazelcast.partition.migration.interval", "1");

  private static final int ENTRIES = 1_000;
  private static final Duration MIGRATION = Duration.ofMinutes(1);

  @Test
  void beforeRestartThroughAClientWaitsUntilTheMigrationToANewMemberIsOver() throws Exception {
    ClusterSafety safety = ClusterSafety.builder(CLUSTER.newClient()).pollInterval(Duration.ofMillis(100))
        .timeout(MIGRATION).build();
    fill(CLUSTER.member(0).getMap("app"));
    int membersBefore = CLUSTER.memberAddresses().size();
    HazelcastInstance joined = migrationToANewMember();
    GateContext context = GateContext.forHost("web-3");

    safety.beforeRestart().run(context);

    assertThat(joined.getPartitionService().isClusterSafe()).as("safe when the gate opened").isTrue();
    assertThat(context.lines()).first().asString().startsWith("waiting for the Hazelcast cluster: ");
    assertThat(context.outcome()).matches("cluster safe, " + (membersBefore + 1) + " members, after \\d+ ms");
    assertThat(joined.getMap("app").size()).isEqualTo(ENTRIES);
  }

  @Test
  void beforeRestartThatTimesOutDuringAMigrationSaysTheClusterIsNotSafe() throws Exception {
    ClusterSafety safety = ClusterSafety.builder(CLUSTER.member(0)).pollInterval(Duration.ofMillis(50))
        .timeout(Duration.ofMillis(200)).build();
    fill(CLUSTER.member(0).getMap("app"));
    HazelcastInstance joined = migrationToANewMember();

    try {
      assertThatThrownBy(() -> safety.beforeRestart().run(GateContext.forHost("web-3")))
          .isInstanceOf(ShuntTimeoutException.class)
          .hasMessageStartingWith("the Hazelcast cluster was not safe within PT0.2S: ")
          .hasMessageMatching(".*(a partition migration is still running|members not safe, their backups not in"
              + " sync: \\[.+\\]).*");
    } finally {
      Poll.until(MIGRATION, "the migration is over", () -> joined.getPartitionService().isClusterSafe());
    }
  }

  private static void fill(IMap<Integer, String> map) {
    for (int i = 0; i < ENTRIES; i++) {
      map.set(i, "entry " + i);
    }
  }

  /** Starts a member and returns once the migration to it has begun: the cluster is not safe. */
  private static HazelcastInstance migrationToANewMember() throws InterruptedException {
    HazelcastInstance joined = CLUSTER.startMember();
    Poll.until(MIGRATION, "a migration to the new member begins",
        () -> !joined.getPartitionService().isClusterSafe());
    return joined;
  }
}
