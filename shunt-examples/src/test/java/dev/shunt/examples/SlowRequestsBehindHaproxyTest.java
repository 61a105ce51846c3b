package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.AwaitHttpStep;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.InFlightWait;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepReport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drain's default waits for requests in flight: behind a real HAProxy under load where one
 * request in ten takes 2 s, backends that exit on SIGTERM at once ({@code DemoBackend --abrupt},
 * an app that does not finish its requests) are rolled with the default drain settings and no
 * client request fails; the control, the same rollout with the in-flight wait switched off
 * ({@link InFlightWait#IGNORED}), loses the slow requests the restart cut off. Failures are
 * counted at the client: HAProxy drops some without a trace.
 */
@Tag("drill") // long: run by .ci/run through -Pdrills, not by ./mvnw install
class SlowRequestsBehindHaproxyTest {
  private static final int FAST_PER_SECOND = 90;
  private static final int SLOW_PER_SECOND = 10;
  private static final int SLOW_MILLIS = 2000;
  private static final Duration LOAD_LIMIT = Duration.ofMinutes(3);

  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  /** Client traffic through HAProxy: 90 fast requests a second and 10 of 2 s, from enough threads to keep the rate. */
  private record Traffic(LoadGenerator fast, LoadGenerator slow) {
    static Traffic start(DemoFleet fleet) throws InterruptedException {
      URI client = fleet.clientUrl();
      Traffic traffic = new Traffic(LoadGenerator.start(client, FAST_PER_SECOND, LOAD_LIMIT),
          LoadGenerator.start(client.resolve("/slow?ms=" + SLOW_MILLIS), SLOW_PER_SECOND, LOAD_LIMIT, 32,
              Duration.ofSeconds(10)));
      RollingRestartBehindHaproxyTest.awaitRequests(traffic.fast, 100);
      RollingRestartBehindHaproxyTest.awaitRequests(traffic.slow, 2 * SLOW_PER_SECOND);
      return traffic;
    }

    List<LoadGenerator.Result> stop() {
      return List.of(fast.stop(), slow.stop());
    }
  }

  @Test
  void defaultDrainWaitsForSlowRequestsSoAnAbruptBackendLosesNone(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy),
        "--abrupt")) {
      Traffic traffic = Traffic.start(fleet);

      RolloutReport report = fleet.rollout().listener(RolloutListener.console(System.out)).build().run();
      List<LoadGenerator.Result> results = traffic.stop();
      System.out.println("client traffic (fast, slow): " + results);

      assertThat(report.succeeded()).as(report.summary()).isTrue();
      assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactlyElementsOf(fleet.hosts());
      assertThat(report.hosts()).allSatisfy(host -> assertThat(drainOf(host).outcome())
          .as("%s's drain", host.host()).contains("and no request was in flight"));
      assertThat(results.get(1).sent()).as("slow requests sent").isGreaterThanOrEqualTo(2 * SLOW_PER_SECOND);
      assertThat(results).allSatisfy(result -> assertThat(result.failed())
          .as("failed client requests: %s", result.failuresByKind()).isZero());
    }
  }

  /** The control: without the in-flight wait the same rollout cuts slow requests off, or the test above proves nothing. */
  @Test
  void drainThatIgnoresRequestsInFlightLosesSlowRequestsOfAnAbruptBackend(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy),
        "--abrupt")) {
      Traffic traffic = Traffic.start(fleet);

      RolloutReport report = fleet.rollout().steps(List.of(
          ShuntStep.shunt(DemoFleet.SHUNT),
          AwaitCheckersStep.drain().times(Haproxy.FALL).timeout(Duration.ofSeconds(10))
              .inFlight(InFlightWait.IGNORED).build(),
          fleet.restartStep(),
          AwaitHttpStep.builder().url("http://{host}/").interval(Duration.ofMillis(100))
              .timeout(Duration.ofSeconds(30)).build(),
          ShuntStep.unshunt(),
          fleet.rotationStep())).listener(RolloutListener.console(System.out)).build().run();
      List<LoadGenerator.Result> results = traffic.stop();
      System.out.println("client traffic without the in-flight wait (fast, slow): " + results);

      assertThat(report.succeeded()).as(report.summary()).isTrue();
      assertThat(results.get(1).failed()).as("slow requests cut off by the restarts: %s", results)
          .isPositive();
    }
  }

  private static StepReport drainOf(HostReport host) {
    return host.steps().stream().filter(step -> step.step().equals("drain")).findFirst().orElseThrow();
  }
}
