package dev.shunt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.cli.ShuntCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shunt roll --drain lb --lb haproxy:… --lb haproxy:…} over three demo backends behind two
 * real HAProxies, under steady client traffic through both: every host is taken out of both (one
 * over its UNIX socket, one over TCP), drained, restarted and put back in both; no client request
 * fails, and no host is ever shunted. And the pre-flight refusing a server name neither knows.
 */
class ShuntCliLoadBalancerBehindHaproxyTest {
  private static Path haproxy;

  @BeforeAll
  static void findHaproxy() {
    haproxy = HaproxyRequirement.haproxy();
  }

  private static String[] roll(DemoFleet fleet, Haproxy second, String... more) {
    String[] base = {"--store", "file:" + fleet.flagDirectory(), "--service", DemoBackend.SERVICE,
        "roll", String.join(",", fleet.hosts()), "--restart", "sh " + fleet.controlScript() + " restart {host}",
        "--ready-url", "http://{host}/", "--ready-interval", "100ms", "--drain", "lb",
        "--lb", "haproxy:" + fleet.haproxy().orElseThrow().statsSocket(),
        "--lb", "haproxy:tcp://127.0.0.1:" + second.statsPort(), "--lb-backend", Haproxy.BACKEND, "--lb-timeout", "20s"};
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void rollThroughTwoHaproxiesRuntimeApisLosesNoRequest(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 3, HaproxyRequirement.classpath(), Optional.of(haproxy));
        Haproxy second = Haproxy.start(haproxy, DemoFleet.freePorts(1).get(0), fleet.hosts(),
            Files.createDirectories(directory.resolve("second")))) {
      Haproxy first = fleet.haproxy().orElseThrow();
      second.awaitAllUp(Duration.ofSeconds(10));
      LoadGenerator load = LoadGenerator.start(fleet.clientUrl(), 150, Duration.ofMinutes(2));
      LoadGenerator loadOnSecond = LoadGenerator.start(java.net.URI.create("http://127.0.0.1:" + second.port() + "/"),
          150, Duration.ofMinutes(2));
      RollingRestartBehindHaproxyTest.awaitRequests(load, 100);
      RollingRestartBehindHaproxyTest.awaitRequests(loadOnSecond, 100);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int exit = ShuntCli.run(roll(fleet, second), new PrintWriter(out), new PrintWriter(err));
      LoadGenerator.Result traffic = load.stop();
      LoadGenerator.Result trafficOnSecond = loadOnSecond.stop();
      System.out.println("client traffic through the first HAProxy: " + traffic + "; through the second: "
          + trafficOnSecond);

      assertThat(exit).as(out + "\n" + err).isZero();
      for (String host : fleet.hosts()) {
        assertThat(out.toString()).contains("[" + host + "] lb-take-out ok in ", "[" + host + "] lb-put-back ok in ")
            .contains("haproxy unix:" + first.statsSocket() + ": took server " + host + " out")
            .contains("haproxy tcp:127.0.0.1:" + second.statsPort() + ": took server " + host + " out");
      }
      assertThat(out.toString()).doesNotContain("] shunt ");
      assertThat(traffic.failed() + trafficOnSecond.failed()).as("failed client requests: %s, %s",
          traffic.failuresByKind(), trafficOnSecond.failuresByKind()).isZero();
      assertThat(first.settledServerStates(Duration.ofSeconds(10))).allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
      assertThat(second.settledServerStates(Duration.ofSeconds(10))).allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
    }
  }

  /** {@code roll --drain lb --lb haproxy:SOCKET} over {@code fleet} with a restart that fails, then {@code more}. */
  private static int rollWithAFailingRestart(DemoFleet fleet, StringWriter out, StringWriter err, String... more) {
    String[] base = {"--store", "file:" + fleet.flagDirectory(), "--service", DemoBackend.SERVICE,
        "roll", String.join(",", fleet.hosts()), "--restart", "false", "--ready-url", "http://{host}/",
        "--drain", "lb", "--lb", "haproxy:" + fleet.haproxy().orElseThrow().statsSocket(), "--lb-backend",
        Haproxy.BACKEND, "--no-lock"};
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return ShuntCli.run(all, new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void hostWhoseRestartFailsIsReportedOutOfHaproxyThenCleanUpPutsItBack(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 2, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      Haproxy lb = fleet.haproxy().orElseThrow();
      String host = fleet.hosts().get(0);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int exit = rollWithAFailingRestart(fleet, out, err);

      assertThat(exit).as(out + "\n" + err).isEqualTo(ShuntCli.FAILED);
      assertThat(err.toString()).contains("shunt: rollout of demo halted: " + host + " failed at restart; it is left"
          + " not shunted, LEFT OUT of rotation on haproxy unix:" + lb.statsSocket() + ": demo/" + host
          + ": DRAIN with 0 sessions\n");
      assertThat(lb.serverStates().get(host)).isEqualTo("DRAIN");

      StringWriter cleanOut = new StringWriter();
      int cleaned = rollWithAFailingRestart(fleet, cleanOut, err, "--clean-up");

      assertThat(cleaned).as(cleanOut + "\n" + err).isZero();
      assertThat(cleanOut.toString()).contains("demo: clean-up put 1 host(s) back in rotation");
      lb.awaitAllUp(Duration.ofSeconds(10));
    }
  }

  @Test
  void hostWhoseRestartFailsIsBackInHaproxyWithOnFailureUnshunt(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 2, HaproxyRequirement.classpath(), Optional.of(haproxy))) {
      String host = fleet.hosts().get(0);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int exit = rollWithAFailingRestart(fleet, out, err, "--on-failure", "unshunt");

      assertThat(exit).as(out + "\n" + err).isEqualTo(ShuntCli.FAILED);
      assertThat(err.toString()).contains("shunt: rollout of demo halted: " + host + " failed at restart; it is left"
          + " in rotation\n");
      assertThat(out.toString()).contains("put server " + host + " back (undoing lb-take-out)");
      fleet.haproxy().orElseThrow().awaitAllUp(Duration.ofSeconds(10));
    }
  }

  @Test
  void preflightRefusesAServerNameNeitherHaproxyKnowsBeforeTouchingAnyHost(@TempDir Path directory) throws Exception {
    try (DemoFleet fleet = DemoFleet.start(directory, 2, HaproxyRequirement.classpath(), Optional.of(haproxy));
        Haproxy second = Haproxy.start(haproxy, DemoFleet.freePorts(1).get(0), fleet.hosts(),
            Files.createDirectories(directory.resolve("second")))) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int exit = ShuntCli.run(roll(fleet, second, "--lb-server", "app-{index}"), new PrintWriter(out), new PrintWriter(err));

      assertThat(exit).isEqualTo(ShuntCli.USAGE);
      assertThat(err.toString()).startsWith("shunt: the pre-flight of the rollout of demo found 4 error(s); nothing was"
          + " touched:\n");
      assertThat(err.toString()).contains("shunt: pre-flight: ERROR " + fleet.hosts().get(1) + " [lb-take-out]: haproxy tcp:127.0.0.1:"
          + second.statsPort() + ": backend 'demo' has no server 'app-2'; its servers: " + fleet.hosts());
      assertThat(fleet.haproxy().orElseThrow().settledServerStates(Duration.ofSeconds(10))).allSatisfy((server, state) -> assertThat(state).isEqualTo("UP"));
    }
  }
}
