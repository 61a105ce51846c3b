package dev.shunt.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.BudgetExceededException;
import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The disruption budget holds cluster-wide: many deploy tools on three members and a client,
 * shunting and unshunting hosts of one service at once, never have more hosts out than it allows.
 */
class DisruptionBudgetAcrossMembersTest {
  @RegisterExtension
  static final HazelcastCluster CLUSTER = HazelcastCluster.withMembers(3);

  private static final String CHECKOUT = "checkout";
  private static final int HOSTS_PER_THREAD = 2;
  private static final int BUDGET = 2;
  private static final int THREADS = 16;
  private static final int ROUNDS_PER_THREAD = 25;

  private final List<HazelcastStatusStore> stores = new ArrayList<>();

  @AfterEach
  void closeStores() {
    stores.forEach(HazelcastStatusStore::close);
  }

  private HazelcastStatusStore onMember(int index) {
    HazelcastStatusStore store = HazelcastStatusStore.builder(CLUSTER.member(index)).build();
    stores.add(store);
    return store;
  }

  private HazelcastStatusStore onClient() {
    HazelcastStatusStore store = HazelcastStatusStore.builder(CLUSTER.newClient()).build();
    stores.add(store);
    return store;
  }

  @Test
  void manyThreadsOnThreeMembersAndAClientNeverExceedTheBudget() throws Exception {
    List<HazelcastStatusStore> views = List.of(onMember(0), onMember(1), onMember(2), onClient());
    views.get(0).setBudget(CHECKOUT, DisruptionBudget.ofHosts(BUDGET));
    AtomicInteger heldNow = new AtomicInteger();
    AtomicInteger mostHeld = new AtomicInteger();
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger mostSeenShunted = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      // Samples what the cluster holds, as a deploy tool listing the service would.
      Future<?> sampler = pool.submit(() -> {
        while (running.get()) {
          mostSeenShunted.accumulateAndGet(views.get(1).shuntedInstances(CHECKOUT).size(), Math::max);
        }
        return null;
      });
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        HazelcastStatusStore store = views.get(t % views.size());
        String owner = "deployer-" + t;
        workers.add(pool.submit(() -> {
          start.await();
          for (int round = 0; round < ROUNDS_PER_THREAD; round++) {
            InstanceKey key = InstanceKey.of(CHECKOUT, owner + "-web-" + round % HOSTS_PER_THREAD);
            try {
              store.shunt(key, ShuntRequest.of("stress", owner).withTtl(Duration.ofMinutes(5)));
            } catch (BudgetExceededException e) {
              refused.incrementAndGet();
              continue;
            }
            // Each thread shunts hosts of its own, so every admitted shunt is a new one and the
            // count of shunts held right now is exact.
            admitted.incrementAndGet();
            mostHeld.accumulateAndGet(heldNow.incrementAndGet(), Math::max);
            Thread.sleep(2);
            heldNow.decrementAndGet();
            store.unshunt(key);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(120, TimeUnit.SECONDS);
      }
      running.set(false);
      sampler.get(30, TimeUnit.SECONDS);
    } finally {
      running.set(false);
      pool.shutdownNow();
    }

    assertThat(mostSeenShunted.get()).isBetween(1, BUDGET);
    assertThat(mostHeld.get()).isBetween(1, BUDGET);
    assertThat(refused.get()).as("the budget was contended").isPositive();
    assertThat(admitted.get()).as("work got done").isGreaterThan(THREADS);
    assertThat(views.get(0).shuntedInstances(CHECKOUT)).isEmpty();
  }

  @Test
  void budgetSetThroughAClientLimitsShuntsMadeOnMembers() {
    HazelcastStatusStore client = onClient();
    HazelcastStatusStore memberA = onMember(0);
    HazelcastStatusStore memberB = onMember(1);
    client.setBudget(CHECKOUT, DisruptionBudget.ofHosts(1));

    memberA.shunt(InstanceKey.of(CHECKOUT, "web-1"), ShuntRequest.of("deploy", "ci-1"));

    assertThatThrownBy(() -> memberB.shunt(InstanceKey.of(CHECKOUT, "web-2"), ShuntRequest.of("deploy", "ci-2")))
        .isInstanceOf(BudgetExceededException.class).hasMessageContaining("[web-1]");
    assertThat(client.budget(CHECKOUT)).contains(DisruptionBudget.ofHosts(1));
  }

  @Test
  void percentageIsTakenOfTheHostsRegisteredAnywhere() {
    HazelcastStatusStore memberA = onMember(0);
    HazelcastStatusStore client = onClient();
    for (int i = 0; i < 8; i++) {
      (i % 2 == 0 ? memberA : client).register(InstanceKey.of(CHECKOUT, "web-" + i));
    }
    memberA.setBudget(CHECKOUT, DisruptionBudget.ofPercent(25));

    client.shunt(InstanceKey.of(CHECKOUT, "web-0"), ShuntRequest.of("deploy", "ci"));
    memberA.shunt(InstanceKey.of(CHECKOUT, "web-1"), ShuntRequest.of("deploy", "ci"));

    assertThat(memberA.hosts(CHECKOUT)).hasSize(8);
    assertThatThrownBy(() -> client.shunt(InstanceKey.of(CHECKOUT, "web-2"), ShuntRequest.of("deploy", "ci")))
        .isInstanceOf(BudgetExceededException.class).hasMessageContaining("allows 2 of 8");
  }
}
