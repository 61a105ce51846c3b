package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.StatusStore;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.lb.LoadBalancerStep;
import dev.shunt.workflow.lb.VarnishLoadBalancer;
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
 * The end-to-end proof behind Varnish 7.1: three demo backends (separate JVM processes), each with
 * a backend probe on the shunted path ({@code .url = "/health"}), a round-robin director, every
 * request passed to a backend. A probe with window {@code w} and threshold {@code t} makes a
 * backend sick after {@code w - t + 1} failed probes and healthy after {@code t} passed ones: the
 * drain and rotation waits count that many answers.
 *
 * <p>Under {@code CI=true} a missing {@code varnishd} fails these tests; elsewhere they are skipped.
 */
class RollingRestartBehindVarnishTest {
  private static Path varnishd;

  @BeforeAll
  static void findVarnish() {
    varnishd = LoadBalancerRequirement.varnishd();
  }

  @Test
  void rollingRestartWithShuntAndDrainLosesNoRequest(@TempDir Path directory) throws Exception {
    Varnish.Probe probe = new Varnish.Probe(Duration.ofMillis(100), 3, 2);
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.empty());
        Varnish varnish = Varnish.start(varnishd, Drills.freePort(), fleet.hosts(), probe, directory)) {
      URI url = URI.create("http://127.0.0.1:" + varnish.port() + "/");
      Map<String, Long> pidsBefore = fleet.pids();
      LoadGenerator load = Rigs.load(url);

      RolloutReport report = fleet.rollout(probe.fall(), probe.rise())
          .listener(RolloutListener.console(System.out)).build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic through Varnish: " + traffic);

      Rigs.assertRolledWithoutLoss(fleet, pidsBefore, report, traffic);
      assertThat(varnish.backendHealth()).as("every backend is healthy again in Varnish")
          .containsOnlyKeys(fleet.hosts())
          .allSatisfy((host, health) -> assertThat(health).isEqualTo("healthy"));
      Rigs.awaitEveryBackendServes(url, fleet.hosts(), Duration.ofSeconds(10));
    }
  }

  @Test
  @Tag("drill")
  void rollingRestartThroughVarnishadmLosesNoRequest(@TempDir Path directory) throws Exception {
    Varnish.Probe probe = new Varnish.Probe(Duration.ofMillis(300), 4, 3);
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.empty());
        Varnish varnish = Varnish.start(varnishd, Drills.freePort(), fleet.hosts(), probe, directory)) {
      URI url = URI.create("http://127.0.0.1:" + varnish.port() + "/");
      VarnishLoadBalancer lb = varnish.loadBalancer();
      Map<String, Long> pidsBefore = fleet.pids();
      LoadGenerator load = Rigs.load(url);

      RolloutReport report = Rollout.builder()
          .service(DemoBackend.SERVICE)
          .hosts(fleet.hosts())
          .store(StatusStore.flagFiles(fleet.flagDirectory()))
          .steps(List.of(
              LoadBalancerStep.takeOut().loadBalancer(lb, Varnish.BACKEND_NAMES).timeout(Duration.ofSeconds(30)).build(),
              fleet.restartStep(),
              DemoFleet.readinessStep(),
              LoadBalancerStep.putBack().loadBalancer(lb, Varnish.BACKEND_NAMES).timeout(Duration.ofSeconds(30)).build()))
          .listener(RolloutListener.console(System.out))
          .build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic through Varnish, servers taken out with varnishadm: " + traffic);

      Rigs.assertRolledWithoutLoss(fleet, pidsBefore, report, traffic);
      assertThat(varnish.backendHealth()).as("every backend is healthy again in Varnish")
          .allSatisfy((host, health) -> assertThat(health).isEqualTo("healthy"));
    }
  }

  /** The control: the same rolling restart without shunt and drain must lose requests, or the test above proves nothing. */
  @Test
  void restartWithoutShuntAndDrainLosesRequests(@TempDir Path directory) throws Exception {
    Varnish.Probe probe = new Varnish.Probe(Duration.ofMillis(200), 5, 3);
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.empty());
        Varnish varnish = Varnish.start(varnishd, Drills.freePort(), fleet.hosts(), probe, directory)) {
      LoadGenerator load = Rigs.load(URI.create("http://127.0.0.1:" + varnish.port() + "/"));

      LoadGenerator.Result traffic = Rigs.restartEachUnannounced(fleet, load);
      System.out.println("client traffic through Varnish without shunt and drain: " + traffic);

      assertThat(traffic.failed()).as("requests failed while the backends restarted unannounced").isPositive();
    }
  }
}
