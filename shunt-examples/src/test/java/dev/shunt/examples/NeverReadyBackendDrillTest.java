package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.JournalEntry;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.CommandStep;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepReport;
import dev.shunt.workflow.cli.ShuntCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drill: a backend that never comes back after its restart — its restart command succeeds
 * but leaves no process, as when a new release dies at start-up. Real HAProxy, real backend
 * processes, steady client traffic. The rollout must halt after the readiness attempts: that host
 * stays shunted and out of HAProxy, the hosts after it are not touched and stay in rotation, the
 * report (and the command line's exit status) says so, and no client request fails.
 *
 * <p>The broken host is rolled first and every host's "restart" only stops it, so a rollout that
 * failed to halt would stop the other backends too, and HAProxy would have none left.
 */
@Tag("drill") // long: run by .ci/run through -Pdrills
class NeverReadyBackendDrillTest {
  private static final int READY_ATTEMPTS = 5;
  private static final Duration READY_INTERVAL = Duration.ofMillis(200);

  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  @Test
  void rolloutHaltsAfterTheReadinessAttemptsLeavingThatHostShuntedAndTheRestUntouchedInRotation(
      @TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      String broken = fleet.hosts().get(0);
      Map<String, Long> pidsBefore = fleet.pids();
      LoadGenerator load = Drills.load(fleet);

      RolloutReport report = fleet.rollout()
          .steps(List.of(
              ShuntStep.shunt(DemoFleet.SHUNT),
              fleet.drainStep(),
              CommandStep.builder().name("restart")
                  .command("sh", fleet.controlScript().toString(), "stop", "{host}").build(),
              AwaitHttpStep.builder().url("http://{host}/")
                  .interval(READY_INTERVAL).maxAttempts(READY_ATTEMPTS).timeout(Duration.ofSeconds(10)).build(),
              ShuntStep.unshunt(),
              fleet.rotationStep()))
          .listener(RolloutListener.console(System.out))
          .build().run();
      LoadGenerator.Result traffic = afterTheHalt(load);
      System.out.println("client traffic: " + traffic);

      assertThat(report.outcome()).as(report.summary()).isEqualTo(RolloutReport.Outcome.HALTED);
      assertThat(report.hosts(HostReport.Outcome.FAILED)).containsExactly(broken);
      assertThat(report.hosts(HostReport.Outcome.UNTOUCHED)).containsExactlyElementsOf(fleet.hosts().subList(1, 3));
      StepReport failed = report.hosts().get(0).failedStep().orElseThrow();
      assertThat(failed.step()).isEqualTo("ready");
      assertThat(failed.outcome()).as("the readiness error")
          .startsWith("http://" + broken + "/ never returned a status within 200..399 in " + READY_ATTEMPTS
              + " attempt(s) (last: ConnectException");
      assertThat(report.summary()).contains(broken + ": FAILED at ready (", "left SHUNTED");
      assertThat(fleet.store().journal(DemoBackend.SERVICE)).singleElement()
          .satisfies(entry -> assertThat(entry.state()).isEqualTo(JournalEntry.State.FAILED))
          .satisfies(entry -> assertThat(entry.detail()).contains("failed at ready", "left shunted"));
      assertLeftAsTheReportSays(fleet, broken, pidsBefore, traffic);
    }
  }

  @Test
  void commandLineRollExitsWithStatus1NamingTheHostThatNeverBecameReady(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      String broken = fleet.hosts().get(0);
      Map<String, Long> pidsBefore = fleet.pids();
      LoadGenerator load = Drills.load(fleet);

      int exit;
      String out;
      String err;
      try (ChildJvm roll = ChildJvm.start(directory, "shunt-roll", ShuntCli.class, List.of(
          "roll", String.join(",", fleet.hosts()),
          "--store", "file:" + fleet.flagDirectory(), "--service", DemoBackend.SERVICE,
          "--restart", "sh " + fleet.controlScript() + " stop {host}",
          "--ready-url", "http://{host}/", "--ready-timeout", "2s", "--ready-interval", "200ms"))) {
        exit = roll.awaitExit(Duration.ofSeconds(40));
        out = roll.out();
        err = roll.err();
        System.out.println(roll.output());
      }
      LoadGenerator.Result traffic = afterTheHalt(load);
      System.out.println("client traffic: " + traffic);

      assertThat(exit).as("shunt roll's exit status").isEqualTo(ShuntCli.FAILED);
      assertThat(err).contains("shunt: rollout of demo halted: " + broken + " failed at ready; it is left shunted");
      assertThat(out).contains("demo: rollout HALTED", broken + ": FAILED at ready (http://" + broken
          + "/ never returned a status within 200..399 in PT2S");
      for (String host : fleet.hosts().subList(1, 3)) {
        assertThat(out).contains(host + ": UNTOUCHED; in rotation");
      }
      assertLeftAsTheReportSays(fleet, broken, pidsBefore, traffic);
    }
  }

  /** Lets the clients go on for a second with one host fewer, then stops them. */
  private static LoadGenerator.Result afterTheHalt(LoadGenerator load) throws InterruptedException {
    Thread.sleep(1000);
    return load.stop();
  }

  private static void assertLeftAsTheReportSays(DemoFleet fleet, String broken, Map<String, Long> pidsBefore,
      LoadGenerator.Result traffic) {
    Map<String, String> states = fleet.haproxy().orElseThrow().serverStates();
    assertThat(fleet.store().status(fleet.key(broken)).shunted()).as("%s is shunted", broken).isTrue();
    assertThat(DemoFleet.isRunning(pidsBefore.get(broken))).as("%s's process runs", broken).isFalse();
    assertThat(states.get(broken)).as("HAProxy's state of %s", broken).startsWith("DOWN");
    for (String host : fleet.hosts().subList(1, 3)) {
      assertThat(fleet.store().status(fleet.key(host)).shunted()).as("%s is shunted", host).isFalse();
      assertThat(fleet.pid(host)).as("%s's process", host).isEqualTo(pidsBefore.get(host));
      assertThat(states.get(host)).as("HAProxy's state of %s", host).isEqualTo("UP");
    }
    assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
  }
}
