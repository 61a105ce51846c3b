package dev.shunt.hazelcast;

import dev.shunt.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.EntryView;
import com.hazelcast.map.IMap;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.hazelcast.internal.MapKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A shunt with a time to live lapses by itself; shunting a shunted key renews it. */
class ShuntLeaseTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");
  private static final Duration LAPSE_DEADLINE = Duration.ofSeconds(10);
  private static final Duration PROPAGATION = Duration.ofSeconds(2);

  private MutableClock clock;
  private HazelcastStatusStore onMemberA;
  private HazelcastStatusStore onMemberB;

  @BeforeEach
  void createStores() {
    clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    onMemberA = HazelcastStatusStore.builder(CLUSTER.member(0)).clock(clock).build();
    onMemberB = HazelcastStatusStore.builder(CLUSTER.member(1)).clock(clock).build();
  }

  @AfterEach
  void closeStores() {
    onMemberA.close();
    onMemberB.close();
  }

  @Test
  void shuntReturnsToRotationWhenItsTtlLapses() throws InterruptedException {
    HazelcastStatusStore realTimeA = HazelcastStatusStore.builder(CLUSTER.member(0)).build();
    HazelcastStatusStore realTimeB = HazelcastStatusStore.builder(CLUSTER.member(1)).build();
    realTimeA.shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofSeconds(1)));
    Poll.until(PROPAGATION, "the shunt seen on member B", () -> realTimeB.status(WEB_1).shunted());

    Poll.until(LAPSE_DEADLINE, WEB_1 + " back in rotation", () -> !realTimeB.status(WEB_1).shunted());
    realTimeA.close();
    realTimeB.close();
  }

  @Test
  void shuntDoesNotReturnToRotationBeforeItsExpiry() throws InterruptedException {
    HazelcastStatusStore realTimeA = HazelcastStatusStore.builder(CLUSTER.member(0)).build();
    HazelcastStatusStore realTimeB = HazelcastStatusStore.builder(CLUSTER.member(1)).build();
    // Not whole seconds: Hazelcast would drop an entry with this IMap TTL after 1 s.
    ShuntStatus shunted = realTimeA.shunt(WEB_1,
        ShuntRequest.of("deploy", "ops").withTtl(Duration.ofMillis(1500)));
    Poll.until(PROPAGATION, "the shunt seen on member B", () -> realTimeB.status(WEB_1).shunted());

    Poll.until(LAPSE_DEADLINE, WEB_1 + " back in rotation", () -> !realTimeB.status(WEB_1).shunted());

    assertThat(Instant.now()).isAfterOrEqualTo(shunted.expiresAt());
    realTimeA.close();
    realTimeB.close();
  }

  @Test
  void lapsedShuntLeavesTheMap() throws InterruptedException {
    HazelcastStatusStore.builder(CLUSTER.member(0)).build()
        .shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofSeconds(1)));
    IMap<Object, Object> statuses = CLUSTER.member(1).getMap(HazelcastStatusStore.DEFAULT_STATUS_MAP);
    assertThat(statuses.containsKey(MapKey.of(WEB_1))).isTrue();

    Poll.until(LAPSE_DEADLINE, "the lapsed shunt gone from the map",
        () -> !statuses.containsKey(MapKey.of(WEB_1)));
  }

  @Test
  void readAppliesTheExpiryBeforeTheMapDropsTheEntry() throws InterruptedException {
    ShuntStatus shunted = onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofMinutes(10)));
    Poll.until(PROPAGATION, "the shunt seen on member B", () -> onMemberB.status(WEB_1).equals(shunted));

    clock.advance(Duration.ofMinutes(10));

    assertThat(onMemberB.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
    assertThat(CLUSTER.member(1).getMap(HazelcastStatusStore.DEFAULT_STATUS_MAP).size()).isEqualTo(1);
  }

  @Test
  void shuntedLeavesOutLapsedShunts() {
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofMinutes(10)));

    clock.advance(Duration.ofMinutes(11));

    assertThat(onMemberB.shuntedInstances("checkout")).isEmpty();
  }

  @Test
  void renewalKeepsSince() throws InterruptedException {
    ShuntStatus first = onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(5));

    ShuntStatus renewed = onMemberB.shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofMinutes(10)));

    assertThat(renewed.since()).isEqualTo(first.since());
    Poll.until(PROPAGATION, "the renewal seen on member A", () -> onMemberA.status(WEB_1).equals(renewed));
  }

  @Test
  void renewalReplacesReasonOwnerAndExpiryCountedFromTheRenewal() throws InterruptedException {
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "rollout-1").withTtl(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(9));

    ShuntStatus renewed = onMemberB.shunt(WEB_1,
        ShuntRequest.of("disk full", "alice").withTtl(Duration.ofMinutes(10)));

    assertThat(renewed.reason()).isEqualTo("disk full");
    assertThat(renewed.owner()).isEqualTo("alice");
    assertThat(renewed.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(5));
    Poll.until(PROPAGATION, "the renewal seen on member A", () -> onMemberA.status(WEB_1).equals(renewed));
  }

  @Test
  void renewalWithoutTtlNeverLapses() {
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofSeconds(1)));

    ShuntStatus renewed = onMemberB.shunt(WEB_1, ShuntRequest.of("hold", "ops"));

    assertThat(renewed.expiry()).isEmpty();
    EntryView<Object, Object> entry = CLUSTER.member(0).getMap(HazelcastStatusStore.DEFAULT_STATUS_MAP)
        .getEntryView(MapKey.of(WEB_1));
    assertThat(entry.getExpirationTime()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void shuntAfterALapsedShuntStartsAFreshOne() {
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofMinutes(1)));
    clock.advance(Duration.ofMinutes(2));

    ShuntStatus fresh = onMemberB.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    assertThat(fresh.since()).isEqualTo(clock.instant());
  }

  @Test
  void concurrentShuntsOfOneKeyAllRenewTheFirst() throws Exception {
    HazelcastStatusStore[] stores = {HazelcastStatusStore.builder(CLUSTER.member(0)).build(),
        HazelcastStatusStore.builder(CLUSTER.member(1)).build()};
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Callable<ShuntStatus>> shunts = IntStream.range(0, 32)
          .<Callable<ShuntStatus>>mapToObj(i ->
              () -> stores[i % 2].shunt(WEB_1, ShuntRequest.of("deploy " + i, "ops")))
          .toList();

      List<Future<ShuntStatus>> results = threads.invokeAll(shunts);

      Instant since = stores[0].status(WEB_1).since();
      for (Future<ShuntStatus> result : results) {
        assertThat(result.get().since()).isEqualTo(since);
      }
    } finally {
      threads.shutdownNow();
      stores[0].close();
      stores[1].close();
    }
  }

}
