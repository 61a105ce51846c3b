package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
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
