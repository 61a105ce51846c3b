package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.workflow.HostReport.Outcome;
import dev.shunt.workflow.StepReport.Result;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RolloutTimeoutTest {
  private final StatusStore store = StatusStore.inMemory();

  private Rollout.Builder rollout(String... hosts) {
    return Rollout.builder().service("checkout").hosts(List.of(hosts)).store(store)
        .listener(RolloutListener.silent());
  }

  private static Step sleeping(String name, Duration duration) {
    return Step.named(name, context -> Thread.sleep(duration.toMillis()));
  }

  @Test
  void stepPastItsTimeLimitIsInterruptedAndReportedTimedOut() {
    long start = System.nanoTime();

    RolloutReport report = rollout("web-1", "web-2")
        .step(ShuntStep.shunt(ShuntRequest.of("deploy", "ci")))
        .step(sleeping("restart", Duration.ofSeconds(30)), StepOptions.none().withTimeout(Duration.ofMillis(200)))
        .build().run();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    HostReport first = report.hosts().get(0);
    assertThat(first.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(first.failedStep()).hasValueSatisfying(step -> {
      assertThat(step.result()).isEqualTo(Result.TIMED_OUT);
      assertThat(step.outcome()).isEqualTo("did not finish within its time limit of PT0.2S; interrupted");
    });
    assertThat(first.statusAfter().shunted()).as("halted between shunt and unshunt: stays out").isTrue();
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-2");
  }

  @Test
  void aTimedOutStepLeavesNoInterruptForTheNextHostOnTheSameWorker() {
    List<Boolean> interruptedAtStart = new CopyOnWriteArrayList<>();

    RolloutReport report = rollout("web-1", "web-2").maxFailures(1)
        .step(Step.named("restart", context -> {
          interruptedAtStart.add(Thread.currentThread().isInterrupted());
          if (context.host().equals("web-1")) {
            Thread.sleep(30_000);
          }
        }), StepOptions.none().withTimeout(Duration.ofMillis(100)))
        .build().run();

    assertThat(interruptedAtStart).containsExactly(false, false);
    assertThat(report.hosts().get(1).outcome()).isEqualTo(Outcome.DONE);
  }

  @Test
  void stepDefaultsGiveEveryStepWithoutOptionsTheirTimeLimit() {
    RolloutReport report = rollout("web-1").stepDefaults(StepOptions.none().withTimeout(Duration.ofMillis(100)))
        .steps(List.of(sleeping("restart", Duration.ofSeconds(30)))).build().run();

    assertThat(report.hosts().get(0).failedStep()).hasValueSatisfying(step ->
        assertThat(step.result()).isEqualTo(Result.TIMED_OUT));
  }

  @Test
  void retriesStayWithinTheStepsTimeLimit() {
    RolloutReport report = rollout("web-1")
        .step(Step.named("connect", context -> {
          throw new ConnectException("Connection refused");
        }), StepOptions.none().withTimeout(Duration.ofSeconds(1)).withRetry(RetryPolicy.builder().maxAttempts(50)
            .initialWait(Duration.ofMillis(100)).multiplier(1).randomization(0).maxWait(Duration.ofMillis(100))
            .build()))
        .build().run();

    StepReport step = report.hosts().get(0).steps().get(0);
    assertThat(step.result()).isEqualTo(Result.TIMED_OUT);
    assertThat(step.attempts()).isBetween(2, 20);
  }

  @Test
  void stepsOwnTimeoutIsReportedTimedOut() {
    RolloutReport report = rollout("web-1").steps(List.of(Step.named("ready", context -> {
      throw new dev.shunt.ShuntTimeoutException("never ready within PT1S", Duration.ofSeconds(1));
    }))).build().run();

    assertThat(report.hosts().get(0).failedStep()).hasValueSatisfying(step -> {
      assertThat(step.result()).isEqualTo(Result.TIMED_OUT);
      assertThat(step.outcome()).isEqualTo("never ready within PT1S");
    });
  }

  @Test
  void rolloutPastItsTimeLimitInterruptsTheStepsInProgressAndStartsNoOtherHost() {
    long start = System.nanoTime();

    RolloutReport report = rollout("web-1", "web-2", "web-3").batchSize(2).timeout(Duration.ofSeconds(2))
        .steps(List.of(sleeping("restart", Duration.ofSeconds(30)))).build().run();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.TIMED_OUT);
    assertThat(report.haltReason()).isEqualTo("the rollout's time limit of PT2S passed");
    assertThat(report.hosts(Outcome.FAILED)).containsExactly("web-1", "web-2");
    assertThat(report.hosts().get(0).failedStep()).hasValueSatisfying(step -> {
      assertThat(step.result()).isEqualTo(Result.TIMED_OUT);
      assertThat(step.outcome()).isEqualTo("interrupted: the rollout's time limit of PT2S passed");
    });
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-3");
    assertThat(report.summary()).contains("rollout TIMED_OUT");
  }
}
