package dev.shunt.workflow.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RetryPolicy;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepOptions;
import dev.shunt.workflow.StepReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RolloutMetrics} hearing real rollouts over an in-memory store: three hosts, shunted,
 * restarted (which fails on web-2), verified and unshunted.
 */
class RolloutMetricsTest {
  private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3");

  private final StatusStore store = StatusStore.inMemory();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @AfterEach
  void closeRegistry() {
    registry.close();
  }

  private static Step failingOnWeb2(String name) {
    return Step.named(name, context -> {
      if (context.host().equals("web-2")) {
        throw new StepFailedException(name + " failed on web-2: disk full");
      }
    });
  }

  private Rollout.Builder rollout(RolloutListener listener) {
    return Rollout.builder().service("checkout").hosts(HOSTS).store(store).listener(listener).steps(List.of(
        ShuntStep.shunt(ShuntRequest.of("deploy 42", "ci")),
        failingOnWeb2("restart"),
        Step.named("verify", context -> { }),
        ShuntStep.unshunt()));
  }

  /** The rollout with metrics and the console together, going on past one failed host. */
  private RolloutReport runPastOneFailure() {
    RolloutListener listener = RolloutListener.all(
        RolloutListener.console(new PrintStream(console, true, StandardCharsets.UTF_8)), new RolloutMetrics(registry));
    return rollout(listener).maxFailures(1).build().run();
  }

  private double hostsFinished(String outcome) {
    Counter counter = registry.find(RolloutMetrics.HOSTS_FINISHED).tags("service", "checkout", "outcome", outcome)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  private Timer stepTimer(String step, String result) {
    return registry.get(RolloutMetrics.STEP_DURATION).tags("service", "checkout", "step", step, "result", result).timer();
  }

  @Test
  void hostsStartedAndFinishedAreCountedByOutcome() {
    RolloutReport report = runPastOneFailure();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.COMPLETED);
    assertThat(registry.get(RolloutMetrics.HOSTS_STARTED).tag("service", "checkout").counter().count()).isEqualTo(3);
    assertThat(hostsFinished("done")).isEqualTo(2);
    assertThat(hostsFinished("failed")).isEqualTo(1);
  }

  @Test
  void eachStepIsTimedByNameAndResult() {
    runPastOneFailure();

    assertThat(stepTimer("shunt", "succeeded").count()).isEqualTo(3);
    assertThat(stepTimer("restart", "succeeded").count()).isEqualTo(2);
    assertThat(stepTimer("restart", "failed").count()).isEqualTo(1);
    assertThat(stepTimer("verify", "succeeded").count()).isEqualTo(2);
    assertThat(registry.find(RolloutMetrics.STEP_DURATION).tags("step", "verify", "result", "failed").timer())
        .as("verify never ran on web-2").isNull();
  }

  @Test
  void stepTimersAddUpTheTimesTheReportGives() {
    RolloutReport report = runPastOneFailure();

    for (String step : List.of("shunt", "restart", "verify", "unshunt")) {
      Duration reported = report.hosts().stream().flatMap(host -> host.steps().stream())
          .filter(s -> s.step().equals(step)).map(StepReport::elapsed).reduce(Duration.ZERO, Duration::plus);
      double timed = registry.find(RolloutMetrics.STEP_DURATION).tag("step", step).timers().stream()
          .mapToDouble(timer -> timer.totalTime(TimeUnit.NANOSECONDS)).sum();
      assertThat(timed).as(step).isEqualTo(reported.toNanos());
    }
  }

  @Test
  void wholeRolloutIsTimedByOutcome() {
    RolloutReport report = runPastOneFailure();

    Timer rollouts = registry.get(RolloutMetrics.DURATION).tags("service", "checkout", "outcome", "completed").timer();
    assertThat(rollouts.count()).isEqualTo(1);
    assertThat(rollouts.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(report.elapsed().toNanos());
    assertThat(registry.find(RolloutMetrics.HALTS).counter()).as("no halt").isNull();
  }

  @Test
  void haltedRolloutIsCountedOnceWithTheHostsItNeverTouched() {
    RolloutReport report = rollout(new RolloutMetrics(registry)).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(registry.get(RolloutMetrics.HALTS).tag("service", "checkout").counter().count()).isEqualTo(1);
    assertThat(hostsFinished("untouched")).isEqualTo(1);
    assertThat(hostsFinished("failed")).isEqualTo(1);
    assertThat(registry.get(RolloutMetrics.DURATION).tag("outcome", "halted").timer().count()).isEqualTo(1);
  }

  @Test
  void retriedAttemptsAreCountedPerStep() {
    AtomicInteger calls = new AtomicInteger();
    Step flaky = Step.named("connect", context -> {
      if (calls.incrementAndGet() < 3) {
        throw new StepFailedException("connection refused");
      }
    });
    RetryPolicy retry = RetryPolicy.builder().maxAttempts(3).initialWait(Duration.ofMillis(10)).randomization(0)
        .retryOn(error -> error instanceof StepFailedException).build();

    Rollout.builder().service("checkout").hosts(List.of("web-1")).store(store).listener(new RolloutMetrics(registry))
        .step(flaky, StepOptions.none().withRetry(retry)).build().run();

    assertThat(registry.get(RolloutMetrics.STEP_RETRIES).tags("service", "checkout", "step", "connect").counter().count())
        .isEqualTo(2);
    assertThat(stepTimer("connect", "succeeded").count()).isEqualTo(1);
  }

  @Test
  void givenTagsAreOnEveryMeter() {
    rollout(new RolloutMetrics(registry, Tags.of("env", "prod"))).maxFailures(1).build().run();

    assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> assertThat(meter.getId().getTags())
        .contains(Tag.of("service", "checkout"), Tag.of("env", "prod")));
  }

  @Test
  void metricsAndTheConsoleBothHearTheRollout() {
    runPastOneFailure();

    String printed = console.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("web-2").contains("disk full");
    assertThat(hostsFinished("failed")).isEqualTo(1);
  }

  @Test
  void reportsOfSkippedHostsAreCountedAsSkipped() {
    rollout(RolloutListener.silent()).rolloutId("first").maxFailures(1).build().run();

    RolloutReport resumed = rollout(new RolloutMetrics(registry)).rolloutId("first").resume(true).maxFailures(1)
        .build().run();

    assertThat(resumed.hosts(HostReport.Outcome.SKIPPED)).containsExactly("web-1", "web-3");
    assertThat(hostsFinished("skipped")).isEqualTo(2);
    assertThat(hostsFinished("failed")).isEqualTo(1);
  }
}
