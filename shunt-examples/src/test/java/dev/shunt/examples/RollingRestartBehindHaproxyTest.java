package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end proof: a real HAProxy ({@code option httpchk GET /health}, {@code inter 200},
 * {@code fall 3}, {@code rise 2}) in front of three demo backends running as separate JVM
 * processes, steady client traffic through it, and a rolling restart of every backend.
 *
 * <p>Under {@code CI=true} a missing {@code haproxy} fails these tests; elsewhere they are skipped
 * with a message saying how to install it.
 */
class RollingRestartBehindHaproxyTest {
  private static final int REQUESTS_PER_SECOND = 250;
  private static final Duration LOAD_LIMIT = Duration.ofMinutes(2);

  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  @Test
  void rollingRestartWithShuntAndDrainLosesNoRequest(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      Map<String, Long> pidsBefore = fleet.pids();
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), REQUESTS_PER_SECOND, LOAD_LIMIT);
      awaitRequests(load, 100);

      RolloutReport report = fleet.rollout().listener(RolloutListener.console(System.out)).build().run();
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic: " + traffic);

      assertThat(report.succeeded()).as(report.summary()).isTrue();
      assertThat(report.hosts(HostReport.Outcome.DONE)).containsExactlyElementsOf(fleet.hosts());
      assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
      assertThat(traffic.rate()).as("client requests per second").isGreaterThanOrEqualTo(200);
      for (String host : fleet.hosts()) {
        long before = pidsBefore.get(host);
        assertThat(fleet.pid(host)).as("%s has a new process", host).isNotEqualTo(before);
        assertThat(DemoFleet.isRunning(before)).as("%s's old process %d is running", host, before).isFalse();
        assertThat(fleet.store().status(fleet.key(host)).shunted()).as("%s is unshunted", host).isFalse();
      }
      assertThat(fleet.haproxy().orElseThrow().serverStates())
          .as("every backend is back in rotation in HAProxy")
          .containsOnlyKeys(fleet.hosts())
          .allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
    }
  }

  /** The control: the same restart without shunt and drain must lose requests, or the test above proves nothing. */
  @Test
  void restartWithoutShuntAndDrainLosesRequests(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), REQUESTS_PER_SECOND, LOAD_LIMIT);
      awaitRequests(load, 100);

      String host = fleet.hosts().get(0);
      long before = fleet.pid(host);
      fleet.control("restart", host);
      fleet.awaitServing(host, Duration.ofSeconds(30));
      fleet.haproxy().orElseThrow().awaitAllUp(Duration.ofSeconds(10));
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic without shunt and drain: " + traffic);

      assertThat(fleet.pid(host)).isNotEqualTo(before);
      assertThat(traffic.failed()).as("requests failed while %s restarted unannounced", host).isPositive();
    }
  }

  static void awaitRequests(LoadGenerator load, long count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (load.sent() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(load.sent()).as("requests sent before the restart").isGreaterThanOrEqualTo(count);
    assertThat(load.failed()).as("requests failed before the restart").isZero();
  }
}
