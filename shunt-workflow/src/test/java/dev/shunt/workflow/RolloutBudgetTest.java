package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.DisruptionBudget;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.workflow.HostReport.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutBudgetTest {
  private final StatusStore store = StatusStore.inMemory();
  private final RecordingListener listener = new RecordingListener();

  /** The most hosts of {@code checkout} seen shunted at once, sampled from another thread while {@code body} runs. */
  private int maxShuntedWhile(Runnable body) throws InterruptedException {
    AtomicInteger max = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (running.get()) {
        max.accumulateAndGet(store.shunted("checkout").size(), Math::max);
        Thread.onSpinWait();
      }
    }, "budget-sampler");
    sampler.start();
    try {
      body.run();
    } finally {
      running.set(false);
      sampler.join(10_000);
    }
    return max.get();
  }

  private Rollout.Builder rollout(int hosts) {
    return Rollout.builder().service("checkout")
        .hosts(IntStream.rangeClosed(1, hosts).mapToObj(i -> "web-" + i).toList())
        .store(store).listener(listener)
        .steps(List.of(
            ShuntStep.shunt(ShuntRequest.of("deploy", "ci")).budgetWait(Duration.ofSeconds(30), Duration.ofMillis(5)),
            Step.named("restart", context -> Thread.sleep(60)),
            ShuntStep.unshunt()));
  }

  @Test
  void batchOfThreeWithABudgetOfOneNeverHasMoreThanOneHostOutAndFinishesEveryHost() throws Exception {
    store.setBudget("checkout", DisruptionBudget.ofHosts(1));
    RolloutReport[] report = new RolloutReport[1];

    int max = maxShuntedWhile(() -> report[0] = rollout(6).batchSize(3).build().run());

    assertThat(max).isEqualTo(1);
    assertThat(report[0].hosts(Outcome.DONE)).hasSize(6);
    assertThat(store.shunted("checkout")).isEmpty();
  }

  @Test
  void hostsWaitingForTheBudgetSayWhoHoldsIt() {
    store.setBudget("checkout", DisruptionBudget.ofHosts(1));

    rollout(2).batchSize(2).build().run();

    assertThat(listener.logs()).anySatisfy(line -> assertThat(line)
        .matches("web-[12] waiting for the disruption budget of checkout \\(maxUnavailable 1\\), held by \\[web-[12]]"));
  }

  @Test
  void percentBudgetCountsEveryHostOfTheRolloutFromTheFirstBatchOn() {
    store.setBudget("checkout", DisruptionBudget.ofPercent(20));
    AtomicInteger maxInFirstBatch = new AtomicInteger();

    RolloutReport report = rollout(10).batchSize(5).steps(List.of(
        ShuntStep.shunt(ShuntRequest.of("deploy", "ci")).budgetWait(Duration.ofSeconds(30), Duration.ofMillis(5)),
        Step.named("restart", context -> {
          Thread.sleep(60);
          if (List.of("web-1", "web-2", "web-3", "web-4", "web-5").contains(context.host())) {
            maxInFirstBatch.accumulateAndGet(store.shunted("checkout").size(), Math::max);
          }
        }),
        ShuntStep.unshunt())).build().run();

    assertThat(report.succeeded()).isTrue();
    assertThat(store.hosts("checkout")).hasSize(10);
    assertThat(maxInFirstBatch).as("20% of the 10 hosts registered before the first batch").hasValue(2);
  }
}
