package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.hazelcast.StatusChange.Kind;
import dev.shunt.hazelcast.internal.LocalView;
import dev.shunt.testing.CapturedLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A listener on one member's store hears the shunts, unshunts and lapsed leases of the cluster. */
class StatusChangeListenerTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");
  private static final InstanceKey WEB_2 = InstanceKey.of("checkout", "web-2");
  private static final Duration PROPAGATION = Duration.ofSeconds(2);
  /** A 1-s lease, its IMap TTL one to two seconds longer, the test cluster's 1-s sweep, and slack. */
  private static final Duration EXPIRY_HEARD = Duration.ofSeconds(10);

  private final HazelcastStatusStore onMemberA = HazelcastStatusStore.builder(CLUSTER.member(0)).build();
  private final HazelcastStatusStore onMemberB = HazelcastStatusStore.builder(CLUSTER.member(1)).build();
  private final List<StatusChange> heardOnB = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeStores() {
    onMemberA.close();
    onMemberB.close();
  }

  @Test
  void listenerHearsAShuntMadeOnAnotherMember() throws InterruptedException {
    onMemberB.onChange(heardOnB::add);

    ShuntStatus shunted = onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

    Poll.until(PROPAGATION, "the shunt heard on member B",
        () -> heardOnB.contains(new StatusChange(WEB_1, Kind.SHUNTED, shunted)));
  }

  @Test
  void listenerHearsAnUnshuntMadeOnAnotherMember() throws InterruptedException {
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));
    onMemberB.onChange(heardOnB::add);

    onMemberA.unshunt(WEB_1);

    Poll.until(PROPAGATION, "the unshunt heard on member B",
        () -> heardOnB.contains(new StatusChange(WEB_1, Kind.UNSHUNTED, ShuntStatus.inRotation())));
  }

  @Test
  void listenerHearsALeaseExpireThatWasTakenOnAnotherMember() throws InterruptedException {
    onMemberB.onChange(heardOnB::add);

    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops").withTtl(Duration.ofSeconds(1)));

    Poll.until(EXPIRY_HEARD, "the lapsed lease heard on member B",
        () -> heardOnB.contains(new StatusChange(WEB_1, Kind.EXPIRED, ShuntStatus.inRotation())));
    assertThat(heardOnB).extracting(StatusChange::kind).containsExactly(Kind.SHUNTED, Kind.EXPIRED);
  }

  @Test
  void closedSubscriptionHearsNothingMore() throws InterruptedException {
    List<StatusChange> heardBeforeClosing = new CopyOnWriteArrayList<>();
    HazelcastStatusStore.Subscription subscription = onMemberB.onChange(heardBeforeClosing::add);
    onMemberB.onChange(heardOnB::add);
    onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));
    Poll.until(PROPAGATION, "the first shunt heard", () -> heardBeforeClosing.size() == 1);

    subscription.close();
    onMemberA.shunt(WEB_2, ShuntRequest.of("deploy", "ops"));

    Poll.until(PROPAGATION, "the second shunt heard by the other listener", () -> heardOnB.size() == 2);
    assertThat(heardBeforeClosing).extracting(StatusChange::key).containsExactly(WEB_1);
  }

  @Test
  void failingListenerIsLoggedAndDoesNotKeepOthersFromHearing() throws InterruptedException {
    onMemberB.onChange(change -> {
      throw new IllegalStateException("listener bug");
    });
    onMemberB.onChange(heardOnB::add);

    try (CapturedLog log = CapturedLog.of(LocalView.class)) {
      onMemberA.shunt(WEB_1, ShuntRequest.of("deploy", "ops"));

      Poll.until(PROPAGATION, "the shunt heard despite the failing listener", () -> heardOnB.size() == 1);
      assertThat(log.messages()).singleElement().asString().contains(WEB_1.host());
    }
  }
}
