package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import dev.shunt.CheckerReport;
import dev.shunt.InstanceKey;
import dev.shunt.MaintenanceFlag;
import dev.shunt.ShuntRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which settings a {@link HazelcastStatusStore} takes, their defaults, and what it refuses. */
class HazelcastStatusStoreBuilderTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(1);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");

  private static HazelcastInstance member() {
    return CLUSTER.member(0);
  }

  @Test
  void createUsesTheDefaultMaps() {
    HazelcastStatusStore store = HazelcastStatusStore.builder(member()).build();

    store.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));
    store.report(WEB_1, new CheckerReport("lb-1", true, 1, Instant.now()));

    store.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", Instant.now()));

    assertThat(store.statusMap()).isEqualTo("shunt.status");
    assertThat(store.checksMap()).isEqualTo("shunt.checks");
    assertThat(store.maintenanceMap()).isEqualTo("shunt.maintenance");
    assertThat(member().getMap("shunt.status").size()).isEqualTo(1);
    assertThat(member().getMap("shunt.checks").size()).isEqualTo(1);
    assertThat(member().getMap("shunt.maintenance").size()).isEqualTo(1);
  }

  @Test
  void chosenMapsAreUsed() {
    HazelcastStatusStore store = HazelcastStatusStore.builder(member())
        .statusMap("staging.status").checksMap("staging.checks").maintenanceMap("staging.maintenance").build();

    store.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));
    store.report(WEB_1, new CheckerReport("lb-1", true, 1, Instant.now()));
    store.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", Instant.now()));

    assertThat(member().getMap("staging.status").size()).isEqualTo(1);
    assertThat(member().getMap("staging.checks").size()).isEqualTo(1);
    assertThat(member().getMap("staging.maintenance").size()).isEqualTo(1);
    assertThat(HazelcastStatusStore.builder(member()).build().status(WEB_1).shunted()).isFalse();
    assertThat(HazelcastStatusStore.builder(member()).build().maintenance("checkout")).isEmpty();
  }

  @Test
  void chosenClockDatesTheShunt() {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    HazelcastStatusStore store = HazelcastStatusStore.builder(member())
        .clock(Clock.fixed(now, ZoneOffset.UTC)).build();

    assertThat(store.shunt(WEB_1, ShuntRequest.of("deploy", "ops")).since()).isEqualTo(now);
  }

  @Test
  void toBuilderKeepsTheSettings() {
    HazelcastStatusStore store = HazelcastStatusStore.builder(member())
        .statusMap("staging.status").checksMap("staging.checks").maintenanceMap("staging.maintenance").build();

    HazelcastStatusStore copy = store.toBuilder().build();

    assertThat(copy.statusMap()).isEqualTo("staging.status");
    assertThat(copy.checksMap()).isEqualTo("staging.checks");
    assertThat(copy.maintenanceMap()).isEqualTo("staging.maintenance");
  }

  @Test
  void missingInstanceIsRefused() {
    assertThatThrownBy(() -> HazelcastStatusStore.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("hazelcast");
  }

  @Test
  void blankStatusMapIsRefused() {
    assertThatThrownBy(() -> HazelcastStatusStore.builder(member()).statusMap(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("statusMap must be a non-blank map name, was ' '");
  }

  @Test
  void missingChecksMapIsRefused() {
    assertThatThrownBy(() -> HazelcastStatusStore.builder(member()).checksMap(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checksMap must be a non-blank map name, was null");
  }

  @Test
  void oneMapForStatusAndChecksIsRefused() {
    assertThatThrownBy(() -> HazelcastStatusStore.builder(member()).checksMap("shunt.status").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checksMap must differ from statusMap, both were 'shunt.status'");
  }

  @Test
  void blankMaintenanceMapIsRefused() {
    assertThatThrownBy(() -> HazelcastStatusStore.builder(member()).maintenanceMap("").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maintenanceMap must be a non-blank map name, was ''");
  }

  @Test
  void maintenanceMapSharedWithAnotherMapIsRefused() {
    assertThatThrownBy(() -> HazelcastStatusStore.builder(member()).maintenanceMap("shunt.checks").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maintenanceMap must differ from checksMap, both were 'shunt.checks'");
  }

  @Test
  void blankServicesMapIsRefused() {
    assertThatThrownBy(() -> HazelcastStatusStore.builder(member()).servicesMap(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("servicesMap must be a non-blank map name, was ' '");
  }

  @Test
  void journalMapSharedWithAnotherMapIsRefused() {
    assertThatThrownBy(() -> HazelcastStatusStore.builder(member()).journalMap("shunt.services").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("journalMap must differ from servicesMap, both were 'shunt.services'");
  }

  @Test
  void missingClockIsRefused() {
    assertThatThrownBy(() -> HazelcastStatusStore.builder(member()).clock(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clock must be set, was null");
  }
}
