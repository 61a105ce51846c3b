package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.StatusStore;
import dev.shunt.workflow.AwaitCheckersStep;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.ShuntStep;
import dev.shunt.workflow.StepReport;
import dev.shunt.workflow.lb.CaddyLoadBalancer;
import dev.shunt.workflow.lb.LoadBalancerStep;
import java.net.URI;
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
 * The end-to-end proof behind Caddy 2.6: {@code reverse_proxy} over three demo backends (separate
 * JVM processes) with active health checks on the shunted path ({@code health_uri /health}), as a
 * user configures them; Caddy takes an upstream out after one failed check and puts it back after
 * one passed check, so the drain waits for one "down" answer and the rotation wait for one "up".
 * No {@code lb_try_duration}, Caddy's default: it retries no request, so nothing hides a failure.
 *
 * <p>Under {@code CI=true} a missing {@code caddy} fails these tests; elsewhere they are skipped.
 */
class RollingRestartBehindCaddyTest {
  private static Path caddy;

  @BeforeAll
  static void findCaddy() {
    caddy = LoadBalancerRequirement.caddy();
  }

  @Test
  void rollingRestartWithShuntAndDrainLosesNoRequest(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.empty());
        Caddy proxy = Caddy.start(caddy, Drills.freePort(), fleet.hosts(), Duration.ofMillis(100), directory)) {
      URI url = URI.create("http://127.0.0.1:" + proxy.port() + "/");
      Map<String, Long> pidsBefore = fleet.pids();
      LoadGenerator load = Rigs.load(url);

      RolloutReport report = fleet.rollout(1, 1).listener(RolloutListener.console(System.out)).build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic through Caddy: " + traffic);

      Rigs.assertRolledWithoutLoss(fleet, pidsBefore, report, traffic);
      Rigs.awaitEveryBackendServes(url, fleet.hosts(), Duration.ofSeconds(10));
      assertThat(proxy.upstreamRequests()).as("Caddy's upstreams, from its admin API").containsOnlyKeys(fleet.hosts());
    }
  }

  /**
   * With the admin API too: after the health-check drain, {@link CaddyLoadBalancer} waits until
   * Caddy itself counts no request in progress to the backend.
   */
  @Test
  @Tag("drill")
  void rollingRestartConfirmedThroughTheAdminApiLosesNoRequest(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.empty());
        Caddy proxy = Caddy.start(caddy, Drills.freePort(), fleet.hosts(), Duration.ofMillis(200), directory)) {
      URI url = URI.create("http://127.0.0.1:" + proxy.port() + "/");
      CaddyLoadBalancer lb = proxy.loadBalancer();
      Map<String, Long> pidsBefore = fleet.pids();
      LoadGenerator load = Rigs.load(url);

      RolloutReport report = Rollout.builder()
          .service(DemoBackend.SERVICE)
          .hosts(fleet.hosts())
          .store(StatusStore.flagFiles(fleet.flagDirectory()))
          .steps(List.of(
              ShuntStep.shunt(DemoFleet.SHUNT),
              AwaitCheckersStep.drain().times(1).timeout(Duration.ofSeconds(10)).build(),
              LoadBalancerStep.takeOut().loadBalancer(lb).timeout(Duration.ofSeconds(30)).build(),
              fleet.restartStep(),
              DemoFleet.readinessStep(),
              ShuntStep.unshunt(),
              AwaitCheckersStep.rotation().times(1).timeout(Duration.ofSeconds(10)).build(),
              LoadBalancerStep.putBack().loadBalancer(lb).build()))
          .listener(RolloutListener.console(System.out))
          .build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic through Caddy, drain confirmed by its admin API: " + traffic);

      Rigs.assertRolledWithoutLoss(fleet, pidsBefore, report, traffic);
      assertThat(report.hosts()).flatMap(HostReport::steps)
          .filteredOn(step -> step.step().equals("lb-take-out"))
          .extracting(StepReport::outcome)
          .as("each take-out saw Caddy count no request in progress")
          .hasSize(3).allSatisfy(outcome -> assertThat(outcome).startsWith("drained").contains("0 request(s) in progress"));
      Rigs.awaitEveryBackendServes(url, fleet.hosts(), Duration.ofSeconds(10));
    }
  }

  /** The control: the same rolling restart without shunt and drain must lose requests, or the test above proves nothing. */
  @Test
  void restartWithoutShuntAndDrainLosesRequests(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.empty());
        Caddy proxy = Caddy.start(caddy, Drills.freePort(), fleet.hosts(), Duration.ofMillis(250), directory)) {
      LoadGenerator load = Rigs.load(URI.create("http://127.0.0.1:" + proxy.port() + "/"));

      LoadGenerator.Result traffic = Rigs.restartEachUnannounced(fleet, load);
      System.out.println("client traffic through Caddy without shunt and drain: " + traffic);

      assertThat(traffic.failed()).as("requests failed while the backends restarted unannounced").isPositive();
    }
  }
}
