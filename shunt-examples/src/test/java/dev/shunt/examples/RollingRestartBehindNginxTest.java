package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.StatusStore;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.lb.LoadBalancerStep;
import dev.shunt.workflow.lb.NginxLoadBalancer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end proof behind nginx 1.22, whose open-source edition has no active health checks,
 * so no health-check shunt can take a backend out: {@link NginxLoadBalancer} marks the server
 * {@code down} in the upstream's included file and reloads nginx, and the drain is over when the
 * old workers have finished their requests and exited. Three demo backends (separate JVM
 * processes), no retries ({@code proxy_next_upstream off}).
 *
 * <p>A reload makes the old workers close their idle client keep-alive connections at once (nginx
 * does so on any reload, shunt or not); a request the client sends on one at that very moment
 * finds the connection closed before any answer. Browsers and most HTTP clients send such a
 * request again (RFC 9112, 9.3.1); the JDK's client retries once, but on another kept-alive
 * connection that the same reload may have closed, so the load sends it again itself, once,
 * and the test bounds how many there were. Every other failure (a 502 of a backend that stopped
 * with a request, a timeout, an answer cut short, a retry that fails too) counts as failed.
 *
 * <p>Under {@code CI=true} a missing {@code nginx} fails these tests; elsewhere they are skipped.
 */
class RollingRestartBehindNginxTest {
  private static Path nginx;

  @BeforeAll
  static void findNginx() {
    nginx = LoadBalancerRequirement.nginx();
  }

  @Test
  void rollingRestartTakingEachServerOutLosesNoRequest(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.empty());
        Nginx proxy = Nginx.start(nginx, Drills.freePort(), fleet.hosts(), directory)) {
      URI url = URI.create("http://127.0.0.1:" + proxy.port() + "/");
      NginxLoadBalancer lb = proxy.loadBalancer();
      Map<String, Long> pidsBefore = fleet.pids();
      // An nginx reload closes the old workers' idle client connections at once; a request sent on
      // one at that instant meets a closed connection and no answer, which browsers retry. The
      // load retries those once, counts them, and counts as failed anything else, or a retry that fails.
      LoadGenerator load = Rigs.loadRetryingUnanswered(url);

      RolloutReport report = Rollout.builder()
          .service(DemoBackend.SERVICE)
          .hosts(fleet.hosts())
          .store(StatusStore.flagFiles(fleet.flagDirectory()))
          .steps(List.of(
              LoadBalancerStep.takeOut().loadBalancer(lb).timeout(Duration.ofSeconds(30)).build(),
              fleet.restartStep(),
              DemoFleet.readinessStep(),
              LoadBalancerStep.putBack().loadBalancer(lb).timeout(Duration.ofSeconds(30)).build()))
          .listener(RolloutListener.console(System.out))
          .build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic through nginx: " + traffic);

      Rigs.assertRolledWithoutLoss(fleet, pidsBefore, report, traffic);
      int reloads = 2 * fleet.hosts().size();
      assertThat(traffic.retried()).as("requests sent again after a reload closed their connection: at most one per"
          + " kept-alive connection (%d) and reload (%d)", LoadGenerator.defaultThreads(), reloads)
          .isLessThanOrEqualTo((long) reloads * LoadGenerator.defaultThreads());
      assertThat(Files.readString(proxy.upstreamFile())).as("the upstream file after the rollout")
          .isEqualTo(Nginx.upstreamServers(fleet.hosts()));
      Rigs.awaitEveryBackendServes(url, fleet.hosts(), Duration.ofSeconds(10));
    }
  }

  /** The control: the same rolling restart without taking servers out must lose requests, or the test above proves nothing. */
  @Test
  void restartWithoutTakingServersOutLosesRequests(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.empty());
        Nginx proxy = Nginx.start(nginx, Drills.freePort(), fleet.hosts(), directory)) {
      LoadGenerator load = Rigs.load(URI.create("http://127.0.0.1:" + proxy.port() + "/"));

      LoadGenerator.Result traffic = Rigs.restartEachUnannounced(fleet, load);
      System.out.println("client traffic through nginx without taking servers out: " + traffic);

      assertThat(traffic.failed()).as("requests failed while the backends restarted unannounced").isPositive();
    }
  }
}
