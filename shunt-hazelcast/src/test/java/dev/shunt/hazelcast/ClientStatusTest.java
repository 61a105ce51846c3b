package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.shunt.CheckerReport;
import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store on a Hazelcast client shares everything with the three members of the cluster it
 * connects to: statuses, checker reports, maintenance, journals, and lease expiry events.
 */
class ClientStatusTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");

  private static HazelcastInstance client;

  @BeforeAll
  static void connectClient() {
    client = CLUSTER.newClient();
  }

  @Test
  void clientSeesAShuntMadeOnAMember() {
    ShuntStatus shunted = HazelcastStatusStore.builder(CLUSTER.member(0)).build()
        .shunt(WEB_1, ShuntRequest.of("deploy", "rollout-7").withTtl(Duration.ofMinutes(5)));

    assertThat(HazelcastStatusStore.builder(client).build().status(WEB_1)).isEqualTo(shunted);
  }

  @Test
  void memberSeesAShuntMadeThroughAClient() {
    ShuntStatus shunted = HazelcastStatusStore.builder(client).build()
        .shunt(WEB_1, ShuntRequest.of("deploy", "rollout-7"));

    assertThat(HazelcastStatusStore.builder(CLUSTER.member(1)).build().status(WEB_1)).isEqualTo(shunted);
  }

  @Test
  void memberSeesAnUnshuntMadeThroughAClient() {
    HazelcastStatusStore.builder(CLUSTER.member(0)).build().shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    HazelcastStatusStore.builder(client).build().unshunt(WEB_1);

    assertThat(HazelcastStatusStore.builder(CLUSTER.member(1)).build().status(WEB_1))
        .isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void clientListsTheShuntedKeysOfAService() {
    ShuntStatus shunted = HazelcastStatusStore.builder(CLUSTER.member(0)).build()
        .shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    assertThat(HazelcastStatusStore.builder(client).build().shuntedInstances("checkout")).containsExactly(
        Map.entry(WEB_1, shunted));
  }

  @Test
  void clientReadsTheChecksAResponderOnAMemberReported() {
    CheckerReport nack = new CheckerReport("10.0.0.9", true, 3, Instant.now(), 0);
    HazelcastStatusStore.builder(CLUSTER.member(2)).build().report(WEB_1, nack);

    assertThat(HazelcastStatusStore.builder(client).build().reports(WEB_1)).containsExactly(nack);
  }

  @Test
  void clientSeesMaintenanceStartedOnAMember() {
    MaintenanceFlag flag = MaintenanceFlag.of("database upgrade", "ops", Instant.now().truncatedTo(ChronoUnit.MILLIS));
    HazelcastStatusStore.builder(CLUSTER.member(0)).build().startMaintenance("checkout", flag);

    HazelcastStatusStore onClient = HazelcastStatusStore.builder(client).build();
    assertThat(onClient.maintenance("checkout")).contains(flag);
  }

  @Test
  void memberReadsTheJournalAClientWrote() {
    JournalEntry entry = new JournalEntry("run-1", "web-1", JournalEntry.State.STARTED,
        Instant.now().truncatedTo(ChronoUnit.MILLIS), "shunt");
    HazelcastStatusStore.builder(client).build().writeJournal("checkout", entry);

    assertThat(HazelcastStatusStore.builder(CLUSTER.member(1)).build().journal("checkout")).containsExactly(entry);
  }

  @Test
  void clientHearsALeaseThatRanOut() throws InterruptedException {
    List<StatusChange> heard = new CopyOnWriteArrayList<>();
    try (HazelcastStatusStore onClient = HazelcastStatusStore.builder(client).build();
         HazelcastStatusStore.Subscription subscription = onClient.onChange(heard::add)) {
      HazelcastStatusStore.builder(CLUSTER.member(0)).build()
          .shunt(WEB_1, ShuntRequest.of("deploy", "crashed-ci").withTtl(Duration.ofSeconds(1)));

      Poll.until(Duration.ofSeconds(15), "the client hears the lease run out",
          () -> heard.stream().anyMatch(change -> change.kind() == StatusChange.Kind.EXPIRED));
      assertThat(onClient.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
    }
  }
}
