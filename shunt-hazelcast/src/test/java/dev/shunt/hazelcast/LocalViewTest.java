package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.hazelcast.internal.MapKey;
import dev.shunt.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store answers {@code status} from a local view that entry listeners keep current: no round
 * trip per check, changes from other members within moments, its own writes at once.
 */
class LocalViewTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");
  private static final Duration PROPAGATION = Duration.ofSeconds(2);
  private static final int CHECKS = 1_000;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final HazelcastStatusStore onMemberA =
      HazelcastStatusStore.builder(CLUSTER.member(0)).clock(clock).build();
  private final HazelcastStatusStore onMemberB =
      HazelcastStatusStore.builder(CLUSTER.member(1)).clock(clock).build();

  @AfterEach
  void closeStores() {
    onMemberA.close();
    onMemberB.close();
  }

  @Test
  void shuntMadeOnOneMemberReachesTheViewOnAnotherWithinMoments() throws InterruptedException {
    ShuntStatus shunted = onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    Poll.until(PROPAGATION, "the shunt seen on member B", () -> onMemberB.status(WEB_1).equals(shunted));
  }

  @Test
  void storeReadsItsOwnWritesAtOnce() {
    for (int i = 0; i < 20; i++) {
      InstanceKey key = InstanceKey.of("checkout", "web-" + i);
      ShuntStatus shunted = onMemberB.shunt(key, ShuntRequest.of("deploy " + i, "ops"));
      assertThat(onMemberB.status(key)).isEqualTo(shunted);
      ShuntStatus renewed = onMemberB.shunt(key, ShuntRequest.of("renewed " + i, "ops"));
      assertThat(onMemberB.status(key)).isEqualTo(renewed);
      onMemberB.unshunt(key);
      assertThat(onMemberB.status(key)).isEqualTo(ShuntStatus.inRotation());
    }
  }

  @Test
  void statusChecksMakeNoGetOnAnyMember() throws InterruptedException {
    ShuntStatus shunted = onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));
    Poll.until(PROPAGATION, "the shunt seen on member B", () -> onMemberB.status(WEB_1).equals(shunted));
    long before = getsOnAllMembers();

    IntStream.range(0, CHECKS).forEach(i -> onMemberB.status(WEB_1));

    assertThat(getsOnAllMembers()).isEqualTo(before);
  }

  @Test
  void getsOfTheMapAreCountedOnTheMembers() {
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));
    IMap<MapKey, ShuntStatus> statuses = CLUSTER.member(1).getMap(HazelcastStatusStore.DEFAULT_STATUS_MAP);
    long before = getsOnAllMembers();

    IntStream.range(0, CHECKS).forEach(i -> statuses.get(MapKey.of(WEB_1)));

    assertThat(getsOnAllMembers()).isGreaterThanOrEqualTo(before + CHECKS);
  }

  @Test
  void viewAppliesTheExpiryOnReadWithTheStoresClock() throws InterruptedException {
    ShuntStatus shunted = onMemberA.shunt(WEB_1,
        ShuntRequest.of("deploy", "ops").withTtl(Duration.ofMinutes(10)));
    Poll.until(PROPAGATION, "the shunt seen on member B", () -> onMemberB.status(WEB_1).equals(shunted));

    clock.advance(Duration.ofMinutes(10));

    assertThat(onMemberB.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void closedStoreNoLongerSeesChangesMadeElsewhere() throws InterruptedException {
    HazelcastStatusStore watched = HazelcastStatusStore.builder(CLUSTER.member(1)).build();
    onMemberB.close();
    onMemberB.close();

    ShuntStatus shunted = onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));
    Poll.until(PROPAGATION, "the shunt seen by an open store on member B",
        () -> watched.status(WEB_1).equals(shunted));
    watched.close();

    assertThat(onMemberB.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  private static long getsOnAllMembers() {
    return IntStream.range(0, 2)
        .mapToLong(i -> CLUSTER.member(i).getMap(HazelcastStatusStore.DEFAULT_STATUS_MAP)
            .getLocalMapStats().getGetOperationCount())
        .sum();
  }
}
