package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.HostReport.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutBatchTest {
  private final StatusStore store = StatusStore.inMemory();
  private final RecordingListener listener = new RecordingListener();
  private final List<String> calls = new CopyOnWriteArrayList<>();

  private static List<String> hosts(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> "web-" + i).toList();
  }

  private Rollout.Builder rollout(int hosts, Step... steps) {
    return Rollout.builder().service("checkout").hosts(hosts(hosts)).store(store).steps(List.of(steps))
        .listener(listener);
  }

  private Step recorded(String name) {
    return Step.named(name, context -> calls.add(context.host() + ":" + name));
  }

  private Step failingOn(Set<String> failing) {
    return Step.named("restart", context -> {
      calls.add(context.host() + ":restart");
      if (failing.contains(context.host())) {
        throw new StepFailedException("restart failed on " + context.host());
      }
    });
  }

  @Test
  void hostsOfABatchRunAtOnce() {
    CyclicBarrier allThree = new CyclicBarrier(3);

    RolloutReport report = rollout(3, Step.named("meet", context -> allThree.await(10, TimeUnit.SECONDS)))
        .batchSize(3).build().run();

    assertThat(report.hosts(Outcome.DONE)).containsExactly("web-1", "web-2", "web-3");
  }

  @Test
  void nextBatchStartsOnlyWhenEveryHostOfTheOneBeforeIsDone() {
    rollout(6, recorded("start"), Step.named("work", context -> Thread.sleep(30)), recorded("end"))
        .batchSize(3).build().run();

    int lastEndOfFirstBatch = List.of("web-1", "web-2", "web-3").stream()
        .mapToInt(host -> calls.indexOf(host + ":end")).max().orElseThrow();
    int firstStartOfSecondBatch = List.of("web-4", "web-5", "web-6").stream()
        .mapToInt(host -> calls.indexOf(host + ":start")).min().orElseThrow();
    assertThat(lastEndOfFirstBatch).isLessThan(firstStartOfSecondBatch);
  }

  @Test
  void batchSizeAsPercentOfTheHostsIsRoundedUp() {
    RolloutReport report = rollout(10, recorded("a")).batchSize(HostCount.ofPercent(25)).build().run();

    assertThat(report.hosts()).extracting(HostReport::batch).containsExactly(1, 1, 1, 2, 2, 2, 3, 3, 3, 4);
    assertThat(listener.events()).filteredOn(event -> event.startsWith("batchStarted")).containsExactly(
        "batchStarted 1 [web-1, web-2, web-3]", "batchStarted 2 [web-4, web-5, web-6]",
        "batchStarted 3 [web-7, web-8, web-9]", "batchStarted 4 [web-10]");
  }

  @Test
  void eachHostRunsOnAThreadNamedForIt() {
    List<String> names = new CopyOnWriteArrayList<>();

    rollout(2, Step.named("look", context -> names.add(context.host() + " on " + Thread.currentThread().getName())))
        .batchSize(2).build().run();

    assertThat(names).containsExactlyInAnyOrder("web-1 on shunt-checkout-web-1", "web-2 on shunt-checkout-web-2");
  }

  @Test
  void workerThreadsAreReusedFromBatchToBatch() {
    Set<Thread> workers = ConcurrentHashMap.newKeySet();

    rollout(12, Step.named("look", context -> workers.add(Thread.currentThread()))).batchSize(3).build().run();

    assertThat(workers).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void noThreadOfTheRolloutOutlivesIt() throws InterruptedException {
    rollout(6, recorded("a")).service("leakcheck").batchSize(3).timeout(Duration.ofMinutes(1))
        .step(recorded("b"), StepOptions.none().withTimeout(Duration.ofMinutes(1))).build().run();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (liveThreads("shunt-leakcheck").size() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(liveThreads("shunt-leakcheck")).isEmpty();
  }

  private static List<String> liveThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.startsWith(prefix)).toList();
  }

  @Test
  void pauseBetweenBatchesKeepsBatchesApart() {
    List<Long> starts = new CopyOnWriteArrayList<>();

    RolloutReport report = rollout(3, Step.named("a", context -> starts.add(System.nanoTime())))
        .pauseBetweenBatches(Duration.ofMillis(200)).build().run();

    assertThat(report.succeeded()).isTrue();
    assertThat(starts.get(1) - starts.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(starts.get(2) - starts.get(1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
  }

  @Test
  void canaryBatchGoesFirstAndAloneThenTheRestInBatches() {
    RolloutReport report = rollout(5, recorded("a")).canary(1).batchSize(2).build().run();

    assertThat(report.hosts()).extracting(HostReport::batch).containsExactly(1, 2, 2, 3, 3);
    assertThat(Rollout.builder().service("checkout").hosts(hosts(5)).store(store).steps(List.of(recorded("a")))
        .canary(1).batchSize(2).build().plan().batches()).extracting(Batch::canary)
        .containsExactly(true, false, false);
  }

  @Test
  void canaryConfirmationSeesTheCanaryReportsAfterItsPause() {
    List<List<HostReport>> seen = new CopyOnWriteArrayList<>();
    List<Long> times = new CopyOnWriteArrayList<>();

    RolloutReport report = rollout(3, Step.named("a", context -> times.add(System.nanoTime())))
        .canary(1).canaryPause(Duration.ofMillis(150))
        .confirmCanary(canary -> seen.add(canary)).build().run();

    assertThat(report.succeeded()).isTrue();
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).extracting(HostReport::host).containsExactly("web-1");
    assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
  }

  @Test
  void canaryNotConfirmedHaltsAndLeavesTheOtherHostsUntouched() {
    RolloutReport report = rollout(3, recorded("a")).canary(1).confirmCanary(canary -> false).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.haltReason()).isEqualTo("the canary was not confirmed");
    assertThat(report.hosts(Outcome.DONE)).containsExactly("web-1");
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-2", "web-3");
    assertThat(calls).containsExactly("web-1:a");
  }

  @Test
  void failedCanaryHaltsEvenWhenMaxFailuresWouldTolerateIt() {
    RolloutReport report = rollout(4, failingOn(Set.of("web-1"))).canary(1).maxFailures(3).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.haltReason()).isEqualTo("the canary failed on web-1");
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-2", "web-3", "web-4");
  }

  @Test
  void failureWithinMaxFailuresLetsTheRolloutGoOn() {
    RolloutReport report = rollout(4, failingOn(Set.of("web-2"))).maxFailures(1).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.COMPLETED);
    assertThat(report.succeeded()).isFalse();
    assertThat(report.hosts(Outcome.DONE)).containsExactly("web-1", "web-3", "web-4");
    assertThat(report.hosts(Outcome.FAILED)).containsExactly("web-2");
    assertThat(report.summary()).contains("rollout COMPLETED WITH FAILURES").contains("3 done, 1 failed");
  }

  @Test
  void oneFailureMoreThanMaxFailuresHaltsTheRollout() {
    RolloutReport report = rollout(5, failingOn(Set.of("web-1", "web-3"))).maxFailures(1).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.haltReason()).isEqualTo("2 host(s) failed, more than maxFailures allows (1); last: web-3");
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-4", "web-5");
  }

  @Test
  void maxFailuresAsPercentIsRoundedDown() {
    Rollout rollout = rollout(10, recorded("a")).maxFailures(HostCount.ofPercent(15)).build();

    assertThat(rollout.plan().maxFailures()).isEqualTo(1);
  }

  @Test
  void otherHostsOfTheBatchFinishWhenOneFailsBeyondMaxFailures() {
    RolloutReport report = rollout(6, Step.named("restart", context -> {
      if (context.host().equals("web-1")) {
        throw new StepFailedException("broken");
      }
      Thread.sleep(100);
    }), recorded("after")).batchSize(3).build().run();

    assertThat(report.hosts(Outcome.FAILED)).containsExactly("web-1");
    assertThat(report.hosts(Outcome.DONE)).containsExactly("web-2", "web-3");
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-4", "web-5", "web-6");
    assertThat(calls).containsExactlyInAnyOrder("web-2:after", "web-3:after");
  }

  @Test
  void failedHostIsPutBackInRotationWhenOnFailureSaysUnshunt() {
    RolloutReport report = rollout(2, ShuntStep.shunt(ShuntRequest.of("deploy", "ci")), failingOn(Set.of("web-1")),
        ShuntStep.unshunt()).onFailure(FailurePolicy.UNSHUNT).build().run();

    assertThat(report.hosts().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.hosts().get(0).statusAfter().shunted()).isFalse();
    assertThat(store.status(InstanceKey.of("checkout", "web-1")).shunted()).isFalse();
    assertThat(report.summary()).contains("web-1: FAILED at restart (restart failed on web-1)")
        .doesNotContain("SHUNTED");
  }

  @Test
  void beforeEachBatchHookThatThrowsHaltsAndLeavesItsBatchUntouched() {
    RolloutReport report = rollout(4, recorded("a")).batchSize(2).beforeEachBatch((batch, hosts) -> {
      if (batch.number() == 2) {
        throw new IllegalStateException("second load balancer unreachable");
      }
    }).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.haltReason())
        .isEqualTo("the before-batch hook failed on batch 2 (web-3, web-4): second load balancer unreachable");
    assertThat(report.hosts(Outcome.DONE)).containsExactly("web-1", "web-2");
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-3", "web-4");
  }

  @Test
  void afterEachBatchHookGetsTheBatchReportsAndItsFailureHalts() {
    List<String> seen = new CopyOnWriteArrayList<>();

    RolloutReport report = rollout(4, recorded("a")).batchSize(2).afterEachBatch((batch, hosts) -> {
      seen.add(batch.number() + ":" + hosts.stream().map(HostReport::host).toList());
      throw new IllegalStateException("error rate too high");
    }).build().run();

    assertThat(seen).containsExactly("1:[web-1, web-2]");
    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.haltReason()).endsWith(": error rate too high");
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-3", "web-4");
  }

  @Test
  void beforeEachHostHookRunsFirstAndItsFailureFailsTheHostBeforeAnyStep() {
    RolloutReport report = rollout(2, recorded("a")).beforeEachHost(Step.named("check", context -> {
      calls.add(context.host() + ":check");
      if (context.host().equals("web-1")) {
        throw new StepFailedException("not in the inventory");
      }
    })).maxFailures(1).build().run();

    assertThat(calls).containsExactly("web-1:check", "web-2:check", "web-2:a");
    assertThat(report.hosts().get(0).failedStep()).hasValueSatisfying(step ->
        assertThat(step.step()).isEqualTo("check"));
  }

  @Test
  void afterEachHostHookRunsAfterAFailedHostToo() {
    rollout(2, failingOn(Set.of("web-1"))).afterEachHost(recorded("notify")).maxFailures(1).build().run();

    assertThat(calls).containsExactly("web-1:restart", "web-1:notify", "web-2:restart", "web-2:notify");
  }

  @Test
  void afterEachHostHookThatThrowsFailsAHostWhoseStepsSucceeded() {
    RolloutReport report = rollout(1, recorded("a")).afterEachHost(Step.named("notify", context -> {
      throw new IllegalStateException("chat is down");
    })).build().run();

    HostReport host = report.hosts().get(0);
    assertThat(host.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(host.steps()).extracting(StepReport::step).containsExactly("a", "notify");
    assertThat(host.failedStep()).hasValueSatisfying(step -> assertThat(step.outcome()).isEqualTo("chat is down"));
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheRollout() {
    RolloutReport report = rollout(2, recorded("a")).listener(new RolloutListener() {
      @Override
      public void stepFinished(String host, StepReport step) {
        throw new IllegalStateException("listener bug");
      }
    }).build().run();

    assertThat(report.succeeded()).isTrue();
    assertThat(new ArrayList<>(calls)).containsExactly("web-1:a", "web-2:a");
  }
}
