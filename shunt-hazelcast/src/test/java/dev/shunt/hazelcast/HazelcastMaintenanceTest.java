package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.EntryView;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nio.serialization.genericrecord.GenericRecord;
import com.hazelcast.nio.serialization.genericrecord.GenericRecordBuilder;
import dev.shunt.MaintenanceFlag;
import dev.shunt.hazelcast.internal.MaintenanceFlagSerializer;
import dev.shunt.testing.CapturedLog;
import dev.shunt.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the Hazelcast store adds to the maintenance contract: one flag seen from every member,
 * an IMap TTL from {@code until}, a Compact record readable without this library, and leniency
 * towards flags that other clients wrote.
 */
class HazelcastMaintenanceTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration PROPAGATION = Duration.ofSeconds(2);

  private final MutableClock clock = new MutableClock(START);
  private final HazelcastStatusStore onMemberA =
      HazelcastStatusStore.builder(CLUSTER.member(0)).clock(clock).build();
  private final HazelcastStatusStore onMemberB =
      HazelcastStatusStore.builder(CLUSTER.member(1)).clock(clock).build();

  @AfterEach
  void closeStores() {
    onMemberA.close();
    onMemberB.close();
  }

  private static EntryView<Object, Object> storedEntry(String service) {
    return CLUSTER.member(0).getMap(HazelcastStatusStore.DEFAULT_MAINTENANCE_MAP).getEntryView(service);
  }

  @Test
  void maintenanceStartedThroughOneMemberIsSeenThroughTheOther() throws InterruptedException {
    MaintenanceFlag flag = MaintenanceFlag.of("database upgrade", "ops", START).withAllowedClients("10.0.0.0/8");

    onMemberA.startMaintenance("checkout", flag);

    Poll.until(PROPAGATION, "the flag seen on member B",
        () -> onMemberB.maintenance("checkout").equals(Optional.of(flag)));
  }

  @Test
  void maintenanceEndedThroughOneMemberIsOffThroughTheOther() throws InterruptedException {
    onMemberA.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", START));

    onMemberB.endMaintenance("checkout");

    Poll.until(PROPAGATION, "the end seen on member A", () -> onMemberA.maintenance("checkout").isEmpty());
  }

  @Test
  void flagWithUntilLeavesTheMapByItselfThroughAnEntryTtl() {
    onMemberA.startMaintenance("checkout",
        MaintenanceFlag.of("database upgrade", "ops", START).withUntil(START.plus(Duration.ofMinutes(10))));

    // 600 s left, plus the second that keeps Hazelcast from dropping it early.
    assertThat(storedEntry("checkout").getTtl()).isEqualTo(Duration.ofSeconds(601).toMillis());
  }

  @Test
  void flagWithoutUntilStaysInTheMap() {
    onMemberA.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", START));

    assertThat(storedEntry("checkout").getExpirationTime()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void replacingAFlagWithUntilByOneWithoutRemovesTheTtl() {
    onMemberA.startMaintenance("checkout",
        MaintenanceFlag.of("database upgrade", "ops", START).withUntil(START.plusSeconds(5)));

    onMemberA.startMaintenance("checkout", MaintenanceFlag.of("longer than planned", "ops", START));

    assertThat(storedEntry("checkout").getExpirationTime()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void flagWhoseUntilPassedOnTheStoresClockIsStoredForASecondAndReadsAsOff() {
    onMemberA.startMaintenance("checkout",
        MaintenanceFlag.of("database upgrade", "ops", START.minusSeconds(60)).withUntil(START.minusSeconds(1)));

    assertThat(storedEntry("checkout").getTtl()).isEqualTo(Duration.ofSeconds(1).toMillis());
    assertThat(onMemberB.maintenance("checkout")).isEmpty();
  }

  @Test
  void flagIsACompactRecordWithNamedFieldsKeyedByService() {
    Instant until = START.plus(Duration.ofHours(1));
    onMemberA.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", START)
        .withUntil(until).withAllowedPaths("/assets/.*").withAllowedClients("10.0.0.0/8", "::1"));
    HazelcastInstance withoutShuntClasses = CLUSTER.newUnconfiguredClient();

    GenericRecord stored = (GenericRecord) withoutShuntClasses
        .getMap(HazelcastStatusStore.DEFAULT_MAINTENANCE_MAP).get("checkout");

    assertThat(stored.getString("reason")).isEqualTo("database upgrade");
    assertThat(stored.getString("owner")).isEqualTo("ops");
    assertThat(stored.getTimestampWithTimezone("since")).isEqualTo(START.atOffset(ZoneOffset.UTC));
    assertThat(stored.getTimestampWithTimezone("until")).isEqualTo(until.atOffset(ZoneOffset.UTC));
    assertThat(stored.getArrayOfString("allowedPaths")).containsExactly("/assets/.*");
    assertThat(stored.getArrayOfString("allowedClients")).containsExactly("10.0.0.0/8", "::1");
  }

  @Test
  void flagAnotherClientWroteWithMalformedPartsIsReadWithoutThemAndLoggedOnce() throws InterruptedException {
    GenericRecord written = GenericRecordBuilder.compact("shunt.MaintenanceFlag")
        .setString("reason", "database upgrade")
        .setString("owner", null)
        .setTimestampWithTimezone("since", START.atOffset(ZoneOffset.UTC))
        .setTimestampWithTimezone("until", null)
        .setArrayOfString("allowedPaths", new String[] {"/assets/.*", "[unclosed"})
        .setArrayOfString("allowedClients", new String[] {"10.0.0.0/8", "office"})
        .build();
    onMemberA.close(); // so that only member B's view reads the flag, and logs
    HazelcastInstance otherClient = CLUSTER.newUnconfiguredClient();

    try (CapturedLog log = CapturedLog.of(MaintenanceFlagSerializer.class)) {
      otherClient.getMap(HazelcastStatusStore.DEFAULT_MAINTENANCE_MAP).set("checkout", written);
      Poll.until(PROPAGATION, "the flag seen on member B", () -> onMemberB.maintenance("checkout").isPresent());
      MaintenanceFlag read = onMemberB.maintenance("checkout").orElseThrow();
      onMemberB.maintenance("checkout");

      assertThat(read).isEqualTo(MaintenanceFlag.of("database upgrade", "", START)
          .withAllowedPaths("/assets/.*").withAllowedClients("10.0.0.0/8"));
      assertThat(log.messages()).satisfiesExactly(
          message -> assertThat(message).contains("'[unclosed'"),
          message -> assertThat(message).contains("'office'"));
    }
  }

  @Test
  void flagAnotherClientWroteWithoutSinceIsDatedTheEpoch() throws InterruptedException {
    GenericRecord written = GenericRecordBuilder.compact("shunt.MaintenanceFlag")
        .setString("reason", "database upgrade")
        .build();
    CLUSTER.newUnconfiguredClient().getMap(HazelcastStatusStore.DEFAULT_MAINTENANCE_MAP).set("checkout", written);

    Poll.until(PROPAGATION, "the flag seen on member A", () -> onMemberA.maintenance("checkout")
        .equals(Optional.of(MaintenanceFlag.of("database upgrade", "", Instant.EPOCH))));
  }
}
