package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.cli.ShuntCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code shunt roll --drain haproxy:…} over three demo backends behind a real HAProxy, under steady
 * client traffic: HAProxy's runtime API (on its UNIX or TCP stats socket) says when each server is
 * drained, and no client request fails.
 *
 * <p>Under {@code CI=true} a missing {@code haproxy} fails these tests; elsewhere they are skipped
 * with a message saying how to install it.
 */
class ShuntCliBehindHaproxyTest {
  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  @ParameterizedTest
  @ValueSource(strings = {"unix", "tcp"})
  void rollDrainedByTheRuntimeApiLosesNoRequest(String socket, @TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      Haproxy balancer = fleet.haproxy().orElseThrow();
      String drain = "haproxy:" + (socket.equals("unix") ? balancer.statsSocket().toString()
          : "127.0.0.1:" + balancer.statsPort());
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), 200, Duration.ofMinutes(2));
      RollingRestartBehindHaproxyTest.awaitRequests(load, 100);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int exit = ShuntCli.run(new String[] {"--store", "file:" + fleet.flagDirectory(), "--service", DemoBackend.SERVICE,
          "roll", String.join(",", fleet.hosts()), "--restart", "sh " + fleet.controlScript() + " restart {host}",
          "--ready-url", "http://{host}/", "--ready-interval", "100ms", "--drain", drain, "--drain-timeout", "10s",
          "--fall", Integer.toString(Haproxy.FALL), "--rise", Integer.toString(Haproxy.RISE),
          "--inter", Haproxy.INTER_MILLIS + "ms", "--rotation-timeout", "10s"},
          new PrintWriter(out), new PrintWriter(err));
      LoadGenerator.Result traffic = load.stop();

      assertThat(exit).as(out + "\n" + err).isZero();
      assertThat(err.toString()).isEmpty();
      for (String host : fleet.hosts()) {
        assertThat(out.toString()).contains("[" + host + "] haproxy-drain ok in ")
            .contains("[" + host + "]   HAProxy: server " + Haproxy.BACKEND + "/" + host + " DOWN");
      }
      assertThat(out.toString()).doesNotContain("timeout fallback");
      assertThat(traffic.failed()).as("failed client requests: %s", traffic).isZero();
      assertThat(balancer.serverStates()).allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
    }
  }
}
