package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.HostReport.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RolloutTest {
  private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3");

  private final StatusStore store = StatusStore.inMemory();
  private final RecordingListener listener = new RecordingListener();
  /** Every step run, as {@code host:step}, in the order they ran. */
  private final List<String> calls = new CopyOnWriteArrayList<>();

  private Step recorded(String name) {
    return Step.named(name, context -> calls.add(context.host() + ":" + name));
  }

  /** A step that fails with {@code message} on {@code failingHost} and succeeds elsewhere. */
  private Step failingOn(String failingHost, String name, String message) {
    return Step.named(name, context -> {
      calls.add(context.host() + ":" + name);
      if (context.host().equals(failingHost)) {
        throw new StepFailedException(message);
      }
    });
  }

  private Rollout rollout(List<Step> steps) {
    return Rollout.builder().service("checkout").hosts(HOSTS).store(store).steps(steps).listener(listener).build();
  }

  /** shunt, a step that fails on web-2, then unshunt: the shape of a real rollout that breaks mid-way. */
  private RolloutReport runFailingOnSecondHost() {
    return rollout(List.of(
        ShuntStep.shunt(ShuntRequest.of("deploy 42", "ci")),
        failingOn("web-2", "restart", "restart failed on web-2: disk full"),
        recorded("verify"),
        ShuntStep.unshunt())).run();
  }

  private InstanceKey key(String host) {
    return InstanceKey.of("checkout", host);
  }

  @Test
  void printsNothingWhenGivenNoListener() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    RolloutReport report;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      report = Rollout.builder().service("checkout").hosts(HOSTS).store(store).steps(List.of(
              ShuntStep.shunt(ShuntRequest.of("deploy 42", "ci")),
              Step.named("restart", context -> context.log("restarting " + context.host())),
              failingOn("web-3", "verify", "web-3 answers 500"),
              ShuntStep.unshunt()))
          .maxFailures(1).build().run();
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }

    assertThat(report.hosts()).extracting(HostReport::outcome)
        .containsExactly(Outcome.DONE, Outcome.DONE, Outcome.FAILED);
    assertThat(out.toString(StandardCharsets.UTF_8)).as("standard output").isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).as("standard error").isEmpty();
  }

  @Test
  void runsEveryStepInOrderOnOneHostBeforeMovingToTheNext() {
    rollout(List.of(recorded("a"), recorded("b"), recorded("c"))).run();

    assertThat(calls).containsExactly(
        "web-1:a", "web-1:b", "web-1:c",
        "web-2:a", "web-2:b", "web-2:c",
        "web-3:a", "web-3:b", "web-3:c");
  }

  @Test
  void reportListsEveryHostDoneInRolloutOrder() {
    RolloutReport report = rollout(List.of(recorded("a"), recorded("b"))).run();

    assertThat(report.succeeded()).isTrue();
    assertThat(report.service()).isEqualTo("checkout");
    assertThat(report.hosts()).extracting(HostReport::host).containsExactlyElementsOf(HOSTS);
    assertThat(report.hosts()).extracting(HostReport::outcome).containsOnly(Outcome.DONE);
    assertThat(report.hosts(Outcome.DONE)).containsExactlyElementsOf(HOSTS);
  }

  @Test
  void reportHasOneStepReportPerStepWithTheOutcomeTheStepSet() {
    RolloutReport report = rollout(List.of(
        Step.named("a", context -> context.outcome("a finished on " + context.host())),
        Step.named("b", context -> { }))).run();

    for (HostReport host : report.hosts()) {
      assertThat(host.steps()).extracting(StepReport::step).containsExactly("a", "b");
      assertThat(host.steps()).extracting(StepReport::succeeded).containsExactly(true, true);
      assertThat(host.steps()).extracting(StepReport::outcome)
          .containsExactly("a finished on " + host.host(), "");
      assertThat(host.failedStep()).isEmpty();
    }
  }

  @Test
  void hostsAreBackInRotationAfterASuccessfulShuntUnshuntRollout() {
    RolloutReport report = rollout(List.of(ShuntStep.shunt(ShuntRequest.of("deploy", "ci")), ShuntStep.unshunt())).run();

    assertThat(report.hosts()).allSatisfy(host -> assertThat(host.statusAfter().shunted()).isFalse());
    assertThat(store.shuntedInstances("checkout")).isEmpty();
  }

  @Test
  void failingStepMarksItsHostFailedWithTheStepsMessage() {
    RolloutReport report = runFailingOnSecondHost();

    assertThat(report.succeeded()).isFalse();
    HostReport second = report.hosts().get(1);
    assertThat(second.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(second.failedStep()).hasValueSatisfying(step -> {
      assertThat(step.step()).isEqualTo("restart");
      assertThat(step.succeeded()).isFalse();
      assertThat(step.outcome()).isEqualTo("restart failed on web-2: disk full");
    });
    assertThat(report.hosts(Outcome.FAILED)).containsExactly("web-2");
  }

  @Test
  void failingStepStopsTheStepsAfterItOnThatHost() {
    RolloutReport report = runFailingOnSecondHost();

    assertThat(calls).contains("web-2:restart").doesNotContain("web-2:verify");
    assertThat(report.hosts().get(1).steps()).extracting(StepReport::step).containsExactly("shunt", "restart");
  }

  @Test
  void hostsBeforeTheFailureStayDone() {
    RolloutReport report = runFailingOnSecondHost();

    assertThat(report.hosts().get(0).outcome()).isEqualTo(Outcome.DONE);
    assertThat(calls).contains("web-1:restart", "web-1:verify");
    assertThat(store.status(key("web-1")).shunted()).isFalse();
  }

  @Test
  void hostsAfterTheFailureAreNeverTouched() {
    RolloutReport report = runFailingOnSecondHost();

    HostReport third = report.hosts().get(2);
    assertThat(third.outcome()).isEqualTo(Outcome.UNTOUCHED);
    assertThat(third.steps()).isEmpty();
    assertThat(calls).noneMatch(call -> call.startsWith("web-3:"));
    assertThat(listener.events()).noneMatch(event -> event.startsWith("hostStarted web-3")
        || event.startsWith("stepStarted web-3"));
  }

  @Test
  void hostsAfterTheFailureStayInRotation() {
    RolloutReport report = runFailingOnSecondHost();

    assertThat(report.hosts().get(2).statusAfter().shunted()).isFalse();
    assertThat(store.status(key("web-3")).shunted()).isFalse();
  }

  @Test
  void hostThatFailedAfterItsShuntIsLeftShunted() {
    RolloutReport report = runFailingOnSecondHost();

    HostReport second = report.hosts().get(1);
    assertThat(second.statusAfter().shunted()).isTrue();
    assertThat(second.statusAfter().reason()).isEqualTo("deploy 42");
    assertThat(store.status(key("web-2")).shunted()).isTrue();
    assertThat(store.shuntedInstances("checkout")).containsOnlyKeys(key("web-2"));
  }

  @Test
  void summaryOfAHaltedRolloutNamesTheFailedHostAndWhereEachHostWasLeft() {
    String summary = runFailingOnSecondHost().summary();

    assertThat(summary)
        .contains("rollout HALTED")
        .contains("1 done, 1 failed, 1 untouched")
        .containsPattern("web-2: FAILED at restart \\(restart failed on web-2: disk full\\) in \\d+ ms; left SHUNTED")
        .contains("web-3: UNTOUCHED; in rotation")
        .containsPattern("web-1: DONE in \\d+ ms; in rotation");
  }

  @Test
  void summaryOfASuccessfulRolloutSaysCompleted() {
    String summary = rollout(List.of(recorded("a"))).run().summary();

    assertThat(summary).contains("rollout completed").contains("3 done, 0 failed, 0 untouched")
        .doesNotContain("HALTED").doesNotContain("SHUNTED");
  }

  @Test
  void stepThatThrowsAnyExceptionFailsItsHostWithTheExceptionsMessage() {
    RolloutReport report = rollout(List.of(Step.named("probe", context -> {
      throw new IOException("connection reset by " + context.host());
    }))).run();

    assertThat(report.hosts().get(0).failedStep())
        .hasValueSatisfying(step -> assertThat(step.outcome()).isEqualTo("connection reset by web-1"));
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-2", "web-3");
  }

  @Test
  void stepThatThrowsWithoutAMessageIsReportedByTheExceptionsClass() {
    RolloutReport report = rollout(List.of(Step.named("probe", context -> {
      throw new IllegalStateException();
    }))).run();

    assertThat(report.hosts().get(0).failedStep())
        .hasValueSatisfying(step -> assertThat(step.outcome()).isEqualTo("java.lang.IllegalStateException"));
  }

  @Test
  void stepThatThrowsInterruptedExceptionFailsItsHostAsInterrupted() {
    RolloutReport report = rollout(List.of(Step.named("wait", context -> {
      throw new InterruptedException();
    }))).run();

    assertThat(report.hosts().get(0).failedStep())
        .hasValueSatisfying(step -> assertThat(step.outcome()).isEqualTo("interrupted"));
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-2", "web-3");
  }

  @Test
  void listenerHearsEveryEventInOrder() {
    Rollout.builder().service("checkout").hosts(List.of("web-1", "web-2")).store(store)
        .steps(List.of(recorded("a"), recorded("b"))).listener(listener).build().run();

    assertThat(listener.events()).containsExactly(
        "rolloutStarted 2 batch(es)",
        "batchStarted 1 [web-1]",
        "hostStarted web-1",
        "stepStarted web-1 a", "stepFinished web-1 a ok",
        "stepStarted web-1 b", "stepFinished web-1 b ok",
        "hostFinished web-1 DONE",
        "batchFinished 1",
        "batchStarted 2 [web-2]",
        "hostStarted web-2",
        "stepStarted web-2 a", "stepFinished web-2 a ok",
        "stepStarted web-2 b", "stepFinished web-2 b ok",
        "hostFinished web-2 DONE",
        "batchFinished 2",
        "rolloutFinished succeeded");
  }

  @Test
  void listenerHearsTheHaltAndUntouchedHostsFinishWithoutStarting() {
    runFailingOnSecondHost();

    assertThat(listener.events()).containsSubsequence(
        "hostStarted web-2",
        "stepStarted web-2 restart", "stepFinished web-2 restart failed",
        "hostFinished web-2 FAILED",
        "hostFinished web-3 UNTOUCHED",
        "rolloutFinished halted");
    assertThat(listener.events()).doesNotContain("stepStarted web-2 verify");
  }

  @Test
  void listenerHearsTheSameHostReportsAsTheRolloutReport() {
    RolloutReport report = runFailingOnSecondHost();

    assertThat(listener.finishedHosts()).containsExactlyElementsOf(report.hosts());
  }

  @Test
  void linesAStepLogsReachTheListenerWithTheHost() {
    Rollout.builder().service("checkout").hosts(List.of("web-1")).store(store)
        .steps(List.of(Step.named("talk", context -> context.log("hello from " + context.host()))))
        .listener(listener).build().run();

    assertThat(listener.events()).containsSubsequence(
        "stepStarted web-1 talk", "log web-1 hello from web-1", "stepFinished web-1 talk ok");
  }

  @Test
  void stepsWorkOnTheRolloutsServiceAndStore() {
    List<InstanceKey> keys = new CopyOnWriteArrayList<>();
    List<StatusStore> stores = new CopyOnWriteArrayList<>();
    rollout(List.of(Step.named("look", context -> {
      keys.add(context.key());
      stores.add(context.store());
    }))).run();

    assertThat(keys).containsExactly(key("web-1"), key("web-2"), key("web-3"));
    assertThat(stores).hasSize(3).allSatisfy(seen -> assertThat(seen).isSameAs(store));
  }

  @Test
  void runCanBeCalledAgainForAnotherPass() {
    Rollout rollout = rollout(List.of(recorded("a")));

    rollout.run();
    RolloutReport second = rollout.run();

    assertThat(second.succeeded()).isTrue();
    assertThat(calls).containsExactly("web-1:a", "web-2:a", "web-3:a", "web-1:a", "web-2:a", "web-3:a");
  }
}
