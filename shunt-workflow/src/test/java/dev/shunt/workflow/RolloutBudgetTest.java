package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.DisruptionBudget;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.workflow.HostReport.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutBudgetTest {
  private final CountingStore counter = new CountingStore();
  private final StatusStore store = counter.store();
  private final RecordingListener listener = new RecordingListener();

  private Rollout.Builder rollout(int hosts, Step restart) {
    return Rollout.builder().service("checkout")
        .hosts(IntStream.rangeClosed(1, hosts).mapToObj(i -> "web-" + i).toList())
        .store(store).listener(listener)
        .steps(List.of(
            ShuntStep.shunt(ShuntRequest.of("deploy", "ci")).budgetWait(Duration.ofSeconds(30), Duration.ofMillis(5)),
            restart,
            ShuntStep.unshunt()));
  }

  private Rollout.Builder rollout(int hosts) {
    return rollout(hosts, Step.named("restart", context -> Thread.sleep(60)));
  }

  @Test
  void batchOfThreeWithABudgetOfOneNeverHasMoreThanOneHostOutAndFinishesEveryHost() {
    store.setBudget("checkout", DisruptionBudget.ofHosts(1));

    RolloutReport report = rollout(6).batchSize(3).build().run();

    assertThat(counter.max()).isEqualTo(1);
    assertThat(report.hosts(Outcome.DONE)).hasSize(6);
    assertThat(store.shuntedInstances("checkout")).isEmpty();
  }

  @Test
  void withoutABudgetTheSameBatchHasEveryHostOutAtOnce() {
    // Each restart waits until the batch's three hosts are all in theirs, however late their threads start.
    CyclicBarrier batch = new CyclicBarrier(3);
    RolloutReport report = rollout(6, Step.named("restart", context -> batch.await(10, TimeUnit.SECONDS)))
        .batchSize(3).build().run();

    assertThat(report.hosts(Outcome.DONE)).as(report.summary()).hasSize(6);

    assertThat(counter.max()).as("the count can see more than one host out").isEqualTo(3);
  }

  @Test
  void hostsWaitingForTheBudgetSayWhoHoldsIt() {
    store.setBudget("checkout", DisruptionBudget.ofHosts(1));

    // The host holding the budget keeps it until the other has said it waits, or 10 s have passed.
    rollout(2, Step.named("restart", context -> awaitUntil(() -> listener.logs().stream()
        .anyMatch(line -> line.contains("waiting for the disruption budget")), Duration.ofSeconds(10))))
        .batchSize(2).build().run();

    assertThat(listener.logs()).anySatisfy(line -> assertThat(line)
        .matches("web-[12] waiting for the disruption budget of checkout \\(maxUnavailable 1\\), held by \\[web-[12]]"));
  }

  @Test
  void percentBudgetCountsEveryHostOfTheRolloutFromTheFirstBatchOn() {
    store.setBudget("checkout", DisruptionBudget.ofPercent(20));
    AtomicInteger maxInFirstBatch = new AtomicInteger();

    RolloutReport report = rollout(10, Step.named("restart", context -> {
      // Two hosts may be out at once: wait (at most 1 s, the batch's last host has no partner) for the second.
      awaitUntil(() -> counter.current() >= 2, Duration.ofSeconds(1));
      if (List.of("web-1", "web-2", "web-3", "web-4", "web-5").contains(context.host())) {
        maxInFirstBatch.accumulateAndGet(counter.current(), Math::max);
      }
    })).batchSize(5).build().run();

    assertThat(report.succeeded()).isTrue();
    assertThat(store.hosts("checkout")).hasSize(10);
    assertThat(maxInFirstBatch).as("20% of the 10 hosts registered before the first batch").hasValue(2);
    assertThat(counter.max()).isEqualTo(2);
  }

  private static void awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }
}
