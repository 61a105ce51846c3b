package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link dev.shunt.GracefulShutdown} behind a real HAProxy: a backend sent a plain SIGTERM under
 * load NACKs its health checks until HAProxy takes it out, finishes what is in flight, and only
 * then stops, so no client request fails. (The control in {@link RollingRestartBehindHaproxyTest}
 * shows the same stop without it losing requests.)
 */
class GracefulShutdownBehindHaproxyTest {
  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  @Test
  void sigtermToAGracefulBackendLosesNoRequest(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy), true)) {
      Haproxy proxy = fleet.haproxy().orElseThrow();
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), 250, Duration.ofMinutes(1));
      RollingRestartBehindHaproxyTest.awaitRequests(load, 100);

      String host = fleet.hosts().get(1);
      long pid = fleet.pid(host);
      fleet.control("stop", host);
      long sentAfterStop = load.sent();
      awaitMoreRequests(load, sentAfterStop + 100);
      LoadGenerator.Result traffic = load.stop();
      System.out.println("client traffic across a graceful SIGTERM: " + traffic);

      assertThat(DemoFleet.isRunning(pid)).as("the backend's process %d has stopped", pid).isFalse();
      assertThat(proxy.serverStates().get(host)).as("HAProxy's view of the stopped backend").startsWith("DOWN");
      assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
    }
  }

  private static void awaitMoreRequests(LoadGenerator load, long count) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (load.sent() < count && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(load.sent()).as("requests sent after the stop").isGreaterThanOrEqualTo(count);
  }
}
