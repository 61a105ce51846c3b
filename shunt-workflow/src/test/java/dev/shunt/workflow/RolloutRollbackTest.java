package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.InstanceKey;
import dev.shunt.JournalEntry;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.HostReport.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A halted rollout's rollback ({@link Rollout.Builder#rollback}): real commands switch each host's
 * version file between {@code old} and {@code new}; readiness reads it, so a host can be made to
 * fail on the new version only.
 */
class RolloutRollbackTest {
  private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3", "web-4");

  @TempDir
  Path versions;

  private final StatusStore store = StatusStore.inMemory();
  private final RecordingListener listener = new RecordingListener();

  /** The restart (or rollback) command, a COMMAND step: writes {@code version} to the host's version file. */
  private CommandStep deploy(String name, String version, String extra) {
    return CommandStep.builder().name(name)
        .command("sh", "-c", "echo " + version + " > '" + versions + "/{host}'" + extra).build();
  }

  /** Readiness: fails on {@code brokenHost} while it runs the new version. */
  private Step readiness(String brokenHost) {
    return Step.named("ready", context -> {
      if (context.host().equals(brokenHost) && version(context.host()).equals("new")) {
        throw new StepFailedException("the new version never answered on " + brokenHost);
      }
    });
  }

  private Rollout.Builder rollout(String brokenHost) {
    return Rollout.builder().service("checkout").hosts(HOSTS).store(store).listener(listener).steps(List.of(
        ShuntStep.shunt(ShuntRequest.of("deploy 42", "ci")),
        Step.named("drain", context -> { }),
        deploy("restart", "new", ""),
        readiness(brokenHost),
        ShuntStep.unshunt(),
        Step.named("rotation", context -> { })));
  }

  private String version(String host) {
    try {
      Path file = versions.resolve(host);
      return Files.exists(file) ? Files.readString(file).trim() : "old";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Map<String, String> versions() {
    return HOSTS.stream().collect(Collectors.toMap(Function.identity(), this::version));
  }

  /** The steps heard between a host's rollbackHostStarted and rollbackHostFinished, and those events, in order. */
  private List<String> rollbackEvents() {
    List<String> events = listener.eventsWithoutLogs();
    int from = events.indexOf(events.stream().filter(e -> e.startsWith("rollbackStarted")).findFirst().orElseThrow());
    return events.subList(from, events.size()).stream()
        .filter(e -> !e.startsWith("stepFinished") && !e.startsWith("rolloutFinished") && !e.startsWith("hostFinished"))
        .toList();
  }

  private static List<String> stepsOn(String host, String... steps) {
    List<String> events = new java.util.ArrayList<>();
    events.add("rollbackHostStarted " + host);
    for (String step : steps) {
      events.add("stepStarted " + host + " " + step);
    }
    events.add("rollbackHostFinished " + host + " DONE");
    return events;
  }

  private InstanceKey key(String host) {
    return InstanceKey.of("checkout", host);
  }

  @Test
  void unconfirmedCanaryRollsBackTheSecondHostThenTheFirstThroughEveryStep() {
    RolloutReport report = rollout("none").canary(2).confirmCanary(canary -> false)
        .rollback(deploy("rollback", "old", "")).build().run();

    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(report.haltReason()).isEqualTo("the canary was not confirmed");
    List<String> expected = new java.util.ArrayList<>(List.of("rollbackStarted [web-2, web-1]"));
    expected.addAll(stepsOn("web-2", "shunt", "drain", "rollback", "ready", "unshunt", "rotation"));
    expected.addAll(stepsOn("web-1", "shunt", "drain", "rollback", "ready", "unshunt", "rotation"));
    expected.add("rollbackFinished COMPLETED");
    assertThat(rollbackEvents()).containsExactlyElementsOf(expected);
    assertThat(versions()).containsOnly(Map.entry("web-1", "old"), Map.entry("web-2", "old"),
        Map.entry("web-3", "old"), Map.entry("web-4", "old"));
    assertThat(report.hosts(Outcome.DONE)).as("the rollout's own outcome stands").containsExactly("web-1", "web-2");
    RollbackReport rollback = report.rollback().orElseThrow();
    assertThat(rollback.outcome()).isEqualTo(RollbackReport.Outcome.COMPLETED);
    assertThat(rollback.rolledBack()).containsExactly("web-2", "web-1");
    assertThat(rollback.hosts()).extracting(HostReport::batch).containsExactly(1, 2);
    assertThat(rollback.hosts().get(0).steps()).extracting(StepReport::step)
        .containsExactly("shunt", "drain", "rollback", "ready", "unshunt", "rotation");
    assertThat(rollback.notRolledBack()).isEmpty();
    assertThat(store.shuntedInstances("checkout")).isEmpty();
  }

  @Test
  void hostThatFailedAfterItsRestartIsRolledBackFirstThenTheOthersNewestFirst() {
    RolloutReport report = rollout("web-3").rollback(deploy("rollback", "old", "")).build().run();

    assertThat(report.hosts(Outcome.FAILED)).containsExactly("web-3");
    assertThat(report.hosts(Outcome.UNTOUCHED)).containsExactly("web-4");
    assertThat(report.rollback().orElseThrow().rolledBack()).containsExactly("web-3", "web-2", "web-1");
    assertThat(versions()).allSatisfy((host, version) -> assertThat(version).as(host).isEqualTo("old"));
    assertThat(store.shuntedInstances("checkout")).as("web-3, failed and left shunted, is back in rotation on the old version")
        .isEmpty();
    assertThat(report.summary()).contains(
        "why: 1 host(s) failed, more than maxFailures allows (0); last: web-3; rolled back 3 host(s) (web-3, web-2,"
            + " web-1)\n",
        "  rollback web-3: DONE in ", "  rollback web-1: DONE in ");
    assertThat(store.journal("checkout")).extracting(JournalEntry::host, JournalEntry::state).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("web-1", JournalEntry.State.ROLLED_BACK),
        org.assertj.core.groups.Tuple.tuple("web-2", JournalEntry.State.ROLLED_BACK),
        org.assertj.core.groups.Tuple.tuple("web-3", JournalEntry.State.ROLLED_BACK));
  }

  @Test
  void hostThatFailedBeforeItsRestartIsNotRolledBackAndStaysAsTheFailurePolicySays() {
    RolloutReport report = rollout("none").steps(List.of(
            ShuntStep.shunt(ShuntRequest.of("deploy 42", "ci")),
            Step.named("drain", context -> {
              if (context.host().equals("web-3")) {
                throw new StepFailedException("web-3 never drained");
              }
            }),
            deploy("restart", "new", ""),
            ShuntStep.unshunt()))
        .rollback(deploy("rollback", "old", "")).build().run();

    assertThat(report.rollback().orElseThrow().rolledBack()).containsExactly("web-2", "web-1");
    assertThat(store.status(key("web-3")).shunted()).as("web-3 left shunted (onFailure LEAVE_SHUNTED)").isTrue();
    assertThat(versions()).allSatisfy((host, version) -> assertThat(version).as(host).isEqualTo("old"));
  }

  @Test
  void withoutRollbackNothingRunsAfterTheHalt() {
    RolloutReport report = rollout("web-3").build().run();

    assertThat(report.rollback()).isEmpty();
    assertThat(listener.eventsWithoutLogs()).noneMatch(event -> event.startsWith("rollback"));
    assertThat(listener.eventsWithoutLogs()).filteredOn(event -> event.startsWith("stepStarted"))
        .last().isEqualTo("stepStarted web-3 ready");
    assertThat(versions()).containsEntry("web-1", "new").containsEntry("web-2", "new").containsEntry("web-4", "old");
    assertThat(report.summary()).doesNotContain("rolled back");
    assertThat(report.toJson()).doesNotContain("\"rollback\"");
  }

  @Test
  void completedRolloutDoesNotRollBack() {
    RolloutReport report = rollout("none").rollback(deploy("rollback", "old", "")).build().run();

    assertThat(report.succeeded()).isTrue();
    assertThat(report.rollback()).isEmpty();
    assertThat(versions()).allSatisfy((host, version) -> assertThat(version).as(host).isEqualTo("new"));
  }

  @Test
  void failingRollbackStopsTheRollbackThereAndIsReported() {
    RolloutReport report = rollout("web-3").canary(2).confirmCanary(canary -> false)
        .rollback(deploy("rollback", "old", "; [ {host} != web-2 ] || { echo 'old release missing' >&2; exit 3; }"))
        .build().run();

    RollbackReport rollback = report.rollback().orElseThrow();
    assertThat(rollback.outcome()).isEqualTo(RollbackReport.Outcome.FAILED);
    assertThat(rollback.hosts()).extracting(HostReport::host, HostReport::outcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("web-2", Outcome.FAILED));
    assertThat(rollback.notRolledBack()).containsExactly("web-1");
    assertThat(rollback.reason()).startsWith("the rollback of web-2 failed at rollback: ");
    assertThat(listener.eventsWithoutLogs()).noneMatch(event -> event.startsWith("rollbackHostStarted web-1"));
    assertThat(version("web-1")).as("not rolled back").isEqualTo("new");
    assertThat(store.status(key("web-2")).shunted()).as("web-2 left shunted (onFailure LEAVE_SHUNTED)").isTrue();
    assertThat(report.summary()).contains("rollback FAILED on web-2 after rolling back 0 host(s); not rolled back:"
        + " web-1", "  rollback web-2: FAILED at rollback (");
    assertThat(store.journal("checkout")).filteredOn(entry -> entry.host().equals("web-2")).singleElement()
        .satisfies(entry -> assertThat(entry.state()).isEqualTo(JournalEntry.State.FAILED))
        .satisfies(entry -> assertThat(entry.detail()).startsWith("rollback failed at rollback").contains("left shunted"));
    assertThat(store.journal("checkout")).filteredOn(entry -> entry.host().equals("web-1")).singleElement()
        .satisfies(entry -> assertThat(entry.state()).isEqualTo(JournalEntry.State.ROLLING_BACK));
    assertThat(report.toJson()).contains("\"rollback\":{\"outcome\":\"FAILED\"", "\"notRolledBack\":[\"web-1\"]");
  }

  @Test
  void resumeAfterARollbackIsRefusedBeforeAnythingIsTouched() {
    rollout("web-3").rollback(deploy("rollback", "old", "")).build().run();

    Rollout resumed = rollout("none").rollback(deploy("rollback", "old", "")).resume(true).build();

    assertThat(resumed.plan().preflightErrors()).extracting(PreflightProblem::host)
        .containsExactly("web-1", "web-2", "web-3");
    assertThatThrownBy(resumed::start).isInstanceOf(PreflightFailedException.class)
        .hasMessageContaining("resuming it would roll forward the version it rolled back");
    assertThat(versions()).allSatisfy((host, version) -> assertThat(version).as(host).isEqualTo("old"));
  }

  @Test
  void cancelDuringTheRollbackStopsItAfterTheHostInProgress() {
    CompletableFuture<RolloutRun> run = new CompletableFuture<>();
    Rollout rollout = rollout("none").canary(2).confirmCanary(canary -> false)
        .listener(new RolloutListener() {
          @Override
          public void rollbackHostStarted(String host) {
            run.join().cancel();
          }
        })
        .rollback(deploy("rollback", "old", "")).build();
    run.complete(rollout.start());
    RolloutReport report = run.join().await();

    assertThat(report.outcome()).as("the rollout's outcome stands").isEqualTo(RolloutReport.Outcome.HALTED);
    RollbackReport rollback = report.rollback().orElseThrow();
    assertThat(rollback.outcome()).isEqualTo(RollbackReport.Outcome.STOPPED);
    assertThat(rollback.rolledBack()).containsExactly("web-2");
    assertThat(rollback.notRolledBack()).containsExactly("web-1");
    assertThat(store.shuntedInstances("checkout")).isEmpty();
  }

  @Test
  void planShowsTheRollbackStepsWithTheRestartReplaced() {
    String plan = rollout("none").rollback(deploy("rollback", "old", "")).build().plan().toText();

    assertThat(plan).contains("On a halt, roll back one host at a time, newest first (every host rolled, and a failed"
        + " host whose restart ran), with these steps:\n  1. shunt [SHUNT]");
    assertThat(plan).containsPattern("\n  3\\. rollback \\[COMMAND\\][^\n]*echo old[^\n]*\\(instead of restart\\)\n");
    assertThat(rollout("none").build().plan().toText()).doesNotContain("roll back");
  }

  @Test
  void rollbackCommandsSecretIsMaskedInTheReport() {
    RolloutReport report = rollout("web-3").rollback(CommandStep.builder().name("rollback")
        .command("sh", "-c", "echo \"deploying old with $TOKEN\"; echo old > '" + versions + "/{host}'")
        .secretEnv("TOKEN", "s3cr3t-t0ken").build()).build().run();

    assertThat(report.rollback().orElseThrow().rolledBack()).hasSize(3);
    assertThat(listener.logs()).anyMatch(line -> line.contains("deploying old with ****"))
        .noneMatch(line -> line.contains("s3cr3t-t0ken"));
    assertThat(report.toJson()).doesNotContain("s3cr3t-t0ken");
  }
}
