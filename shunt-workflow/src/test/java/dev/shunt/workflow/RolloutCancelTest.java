package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.DisruptionBudget;
import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.workflow.HostReport.Outcome;
import dev.shunt.workflow.StepReport.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RolloutCancelTest {
  private final StatusStore store = StatusStore.inMemory();
  private final CountDownLatch restarting = new CountDownLatch(1);
  private final CountDownLatch restartMayEnd = new CountDownLatch(1);

  /** shunt, a restart that waits for the test, unshunt. */
  private Rollout rollout(String... hosts) {
    return Rollout.builder().service("checkout").hosts(List.of(hosts)).store(store).listener(RolloutListener.silent())
        .steps(List.of(
            ShuntStep.shunt(ShuntRequest.of("deploy", "ci")),
            Step.named("restart", context -> {
              restarting.countDown();
              restartMayEnd.await(30, TimeUnit.SECONDS);
            }),
            ShuntStep.unshunt()))
        .build();
  }

  private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void cancelLetsTheHostInProgressFinishItsStepsAndStartsNoOther() throws Exception {
    RolloutRun run = rollout("web-1", "web-2", "web-3").start();
    awaitLatch(restarting);

    run.cancel();
    restartMayEnd.countDown();
    RolloutReport report = run.await();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.CANCELLED);
    assertThat(report.hosts().get(0).outcome()).isEqualTo(Outcome.DONE);
    assertThat(report.hosts().get(0).steps()).extracting(StepReport::step)
        .containsExactly("shunt", "restart", "unshunt");
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-2", "web-3");
    assertThat(store.shuntedInstances("checkout")).isEmpty();
  }

  @Test
  void cancelNowInterruptsTheStepAndLeavesItsHostShuntedAsReported() throws Exception {
    RolloutRun run = rollout("web-1", "web-2").start();
    awaitLatch(restarting);

    run.cancelNow();
    RolloutReport report = run.await();

    HostReport first = report.hosts().get(0);
    assertThat(first.outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(first.failedStep()).hasValueSatisfying(step -> {
      assertThat(step.step()).isEqualTo("restart");
      assertThat(step.result()).isEqualTo(Result.CANCELLED);
    });
    assertThat(first.statusAfter().shunted()).isTrue();
    assertThat(store.status(InstanceKey.of("checkout", "web-1")).shunted()).isTrue();
    assertThat(report.hosts().get(1).outcome()).isEqualTo(Outcome.UNTOUCHED);
    assertThat(report.summary()).contains("web-1: CANCELLED at restart").contains("left SHUNTED");
    assertThat(store.journal("checkout")).singleElement().satisfies(entry -> {
      assertThat(entry.state()).isEqualTo(JournalEntry.State.FAILED);
      assertThat(entry.detail()).contains("cancelled at restart").contains("left shunted");
    });
  }

  @Test
  void cancelWhileAShuntWaitsForTheBudgetGivesUpWithoutShunting() throws Exception {
    store.setBudget("checkout", DisruptionBudget.ofHosts(1));
    store.shunt(InstanceKey.of("checkout", "web-9"), ShuntRequest.of("maintenance", "ops"));
    CountDownLatch waiting = new CountDownLatch(1);
    RolloutRun run = Rollout.builder().service("checkout").hosts(List.of("web-1")).store(store)
        .listener(new RolloutListener() {
          @Override
          public void log(String host, String line) {
            waiting.countDown();
          }
        })
        .steps(List.of(ShuntStep.shunt(ShuntRequest.of("deploy", "ci")).budgetWait(Duration.ofMinutes(1),
            Duration.ofMillis(10)), ShuntStep.unshunt()))
        .build().start();
    awaitLatch(waiting);

    run.cancel();
    RolloutReport report = run.await();

    HostReport host = report.hosts().get(0);
    assertThat(host.outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(host.statusAfter().shunted()).isFalse();
    assertThat(host.failedStep()).hasValueSatisfying(step -> assertThat(step.outcome()).contains("not shunted"));
  }

  @Test
  void interruptingTheThreadInRunCancelsTheRolloutAndKeepsItsInterruptFlag() throws Exception {
    CountDownLatch halting = new CountDownLatch(1);
    Rollout rollout = rollout("web-1", "web-2").toBuilder().listener(new RolloutListener() {
      @Override
      public void halting(String reason) {
        halting.countDown();
      }
    }).build();
    AtomicReference<RolloutReport> report = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      report.set(rollout.run());
      flag.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    awaitLatch(restarting);

    caller.interrupt();
    // The interrupt reaches the rollout through the caller's thread: the restart may only end once
    // the rollout has heard it, or the next host could start first.
    awaitLatch(halting);
    restartMayEnd.countDown();
    caller.join(10_000);

    assertThat(report.get().outcome()).isEqualTo(RolloutReport.Outcome.CANCELLED);
    assertThat(report.get().hosts().get(0).outcome()).isEqualTo(Outcome.DONE);
    assertThat(report.get().hosts().get(1).outcome()).isEqualTo(Outcome.UNTOUCHED);
    assertThat(flag.get()).isTrue();
  }

  @Test
  void cancelEndsThePauseBetweenBatches() throws Exception {
    CountDownLatch firstDone = new CountDownLatch(1);
    RolloutRun run = Rollout.builder().service("checkout").hosts(List.of("web-1", "web-2")).store(store)
        .listener(RolloutListener.silent()).pauseBetweenBatches(Duration.ofMinutes(10))
        .steps(List.of(Step.named("a", context -> firstDone.countDown()))).build().start();
    awaitLatch(firstDone);

    run.cancel();

    assertThat(run.await(Duration.ofSeconds(10))).hasValueSatisfying(report -> {
      assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.CANCELLED);
      assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-2");
    });
  }

  @Test
  void awaitWithATimeLimitAnswersEmptyWhileTheRolloutRuns() throws Exception {
    RolloutRun run = rollout("web-1").start();
    awaitLatch(restarting);

    assertThat(run.await(Duration.ofMillis(50))).isEmpty();
    assertThat(run.isDone()).isFalse();

    restartMayEnd.countDown();
    assertThat(run.await(Duration.ofSeconds(10))).hasValueSatisfying(report -> assertThat(report.succeeded()).isTrue());
    assertThat(run.isDone()).isTrue();
  }

  @Test
  void cancelDuringTheLastHostThatThenFinishesLeavesARolloutThatCompleted() throws Exception {
    RolloutRun run = rollout("web-1").start();
    awaitLatch(restarting);

    run.cancel();
    restartMayEnd.countDown();
    RolloutReport report = run.await();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.COMPLETED);
    assertThat(report.succeeded()).isTrue();
    assertThat(report.haltReason()).isEmpty();
  }
}
