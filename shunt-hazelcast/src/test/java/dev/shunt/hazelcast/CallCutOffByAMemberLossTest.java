package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Member;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.ShuntStatus;
import dev.shunt.StoreException;
import dev.shunt.hazelcast.internal.MapKey;
import dev.shunt.hazelcast.internal.ServiceLedger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A write from a client that is in flight on a member when that member dies: Hazelcast's client
 * does not send it again by itself (it cannot know whether the member applied it), so the store
 * reports it, as a retryable {@link StoreException}; made again, it succeeds on the member that
 * took over the entry.
 */
class CallCutOffByAMemberLossTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final int DYING = 2;
  private static final ShuntRequest REQUEST = ShuntRequest.of("deploy", "ci");

  @Test
  void shuntInFlightWhenItsMemberDiesFailsRetryableAndSucceedsWhenMadeAgain() throws Exception {
    Member dying = CLUSTER.member(DYING).getCluster().getLocalMember();
    InstanceKey key = IntStream.range(0, 1000).mapToObj(i -> InstanceKey.of("checkout", "web-" + i))
        .filter(candidate -> CLUSTER.member(0).getPartitionService().getPartition(MapKey.of(candidate)).getOwner()
            .equals(dying)).findFirst().orElseThrow();
    try (HazelcastStatusStore store = HazelcastStatusStore.builder(CLUSTER.newClient()).build()) {
      IMap<MapKey, ShuntStatus> statuses = CLUSTER.member(0).getMap(store.statusMap());
      IMap<String, ServiceLedger> services = CLUSTER.member(0).getMap(store.servicesMap());
      // The shunt's entry processor waits for this lock on the member that owns the entry.
      statuses.lock(MapKey.of(key));
      CompletableFuture<ShuntStatus> shunt = CompletableFuture.supplyAsync(() -> store.shunt(key, REQUEST));
      Poll.until(Duration.ofSeconds(10), "the shunt took its place in the budget, before its status write",
          () -> services.get("checkout") != null && services.get("checkout").out().containsKey(key.host()));
      Thread.sleep(300);

      CLUSTER.terminate(DYING);

      Throwable failure = null;
      try {
        shunt.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failure = e.getCause();
      }
      assertThat(failure).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue())
          .cause().isInstanceOf(TargetDisconnectedException.class);
      statuses.forceUnlock(MapKey.of(key));
      assertThat(store.shunt(key, REQUEST).shunted()).isTrue();
    }
  }
}
