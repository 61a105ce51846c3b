package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spring Boot app (embedded Tomcat, the actuator, shunt-core's auto-configuration) behind a
 * real HAProxy under load, sent a real SIGTERM: with the integration's defaults it drains inside
 * Spring's own shutdown, before the web server stops, and no client request fails; with Spring's
 * graceful shutdown alone ({@code server.shutdown=graceful}), Tomcat stops taking connections at
 * once while HAProxy still sends, and requests fail.
 */
class SpringBootBehindHaproxyTest {
  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  @Test
  void sigtermWithTheIntegrationsDefaultsLosesNoRequest(@TempDir Path directory) throws Exception {
    LoadGenerator.Result traffic = sigtermOneOfTwoUnderLoad(directory);

    assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
  }

  @Test
  void springsGracefulShutdownAloneLosesRequests(@TempDir Path directory) throws Exception {
    LoadGenerator.Result traffic = sigtermOneOfTwoUnderLoad(directory, "--shunt.enabled=false",
        "--server.shutdown=graceful");

    assertThat(traffic.failed()).as("failed client requests without shunt: %s", traffic).isPositive();
  }

  /**
   * Two apps behind HAProxy, 250 requests/s through it; SIGTERM to the first; the load goes on
   * until it exited and 100 more requests were sent.
   */
  private static LoadGenerator.Result sigtermOneOfTwoUnderLoad(Path directory, String... properties) throws Exception {
    List<Integer> ports = DemoFleet.freePorts(3);
    Path flags = Files.createDirectories(directory.resolve("flags"));
    try (SpringApp stopped = SpringApp.start(directory, flags, ports.get(0), properties);
        SpringApp staying = SpringApp.start(directory, flags, ports.get(1), properties)) {
      stopped.awaitStarted();
      staying.awaitStarted();
      try (Haproxy proxy = Haproxy.start(haproxy, ports.get(2), List.of(stopped.host(), staying.host()), directory)) {
        proxy.awaitAllUp(Duration.ofSeconds(30));
        LoadGenerator load = LoadGenerator.start(java.net.URI.create("http://127.0.0.1:" + proxy.port() + "/"), 250,
            Duration.ofMinutes(2));
        RollingRestartBehindHaproxyTest.awaitRequests(load, 100);

        stopped.jvm().terminate();
        stopped.jvm().awaitExit(Duration.ofSeconds(90));
        long sentAtExit = load.sent();
        awaitSent(load, sentAtExit + 100);
        LoadGenerator.Result traffic = load.stop();
        System.out.println("client traffic across a SIGTERM to a Spring Boot app " + List.of(properties) + ": " + traffic);
        // With shunt the app was out of rotation before it exited; without it, HAProxy finds out only
        // after fall (3) failed checks of inter (200 ms) each, which may end after the 100 requests
        // above ("UP", "UP 1/3"): wait (bounded) for it to mark the stopped app DOWN.
        Drills.awaitEquals(proxy, () -> proxy.serverStates().get(stopped.host()), "DOWN",
            "HAProxy's view of the stopped app", Duration.ofSeconds(10));
        if (properties.length == 0) {
          // Spring Boot's logback writes to standard output while it runs; once Spring's logging has
          // shut down, shunt's lines reach java.util.logging's console handler, on standard error.
          // Which one a line takes depends on when in the shutdown it is logged: the log is both.
          assertThat(stopped.jvm().out() + stopped.jvm().err()).as("the app's log of its shutdown")
              .contains("draining before the web server stops", "drained (DRAINED)");
        }
        return traffic;
      }
    }
  }

  private static void awaitSent(LoadGenerator load, long count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (load.sent() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(load.sent()).as("requests sent after the app exited").isGreaterThanOrEqualTo(count);
  }
}
