package dev.shunt.workflow;

import static dev.shunt.workflow.TestSshServer.PASSWORD;
import static dev.shunt.workflow.TestSshServer.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.InstanceKey;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.workflow.StepReport.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drill: every way an SSH restart commonly fails, through a whole rollout whose restart step may
 * be retried up to three times. Each failure gives its own clear error in the report; only the
 * ones that can pass by themselves (a refused connection) are retried; the host stays shunted and
 * the host after it is not touched.
 */
class SshFailuresDrillTest {
  private static final int MAX_ATTEMPTS = 3;
  /** The host after the failing one: a name that resolves, whose key the known_hosts files hold, so the pre-flight passes. */
  private static final String SECOND = "localhost";

  @TempDir
  static Path dir;

  private static TestSshServer server;
  private static Path knownHosts;
  private static Path staleKnownHosts;
  private static Path otherKeyTypeKnownHosts;
  private static int closedPort;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestSshServer.start(dir, Files.writeString(dir.resolve("authorized_keys"), ""));
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    knownHosts = knownHosts("known_hosts", server.hostKey());
    staleKnownHosts = knownHosts("stale_known_hosts", server.otherHostKey().getPublic());
    // Holds a key for each host, but of another type than the server offers: the pre-flight passes,
    // the connection finds the host key unknown.
    otherKeyTypeKnownHosts = knownHosts("other_key_type_known_hosts", server.keyOfAnotherType());
  }

  /** A known_hosts file that holds {@code key} for both hosts on the server's port and on the closed port. */
  private static Path knownHosts(String name, PublicKey key) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (String host : List.of("127.0.0.1", SECOND)) {
      for (int port : List.of(server.port(), closedPort)) {
        lines.append('[').append(host).append("]:").append(port).append(' ').append(PublicKeyEntry.toString(key))
            .append('\n');
      }
    }
    return Files.writeString(dir.resolve(name), lines);
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        failure("wrong password", ssh -> ssh.password("wrong-password"), 1, "refused the password"),
        failure("unknown host key", ssh -> ssh.knownHosts(otherKeyTypeKnownHosts), 1, "unknown host key for 127.0.0.1:"),
        failure("changed host key", ssh -> ssh.knownHosts(staleKnownHosts), 1, "has CHANGED"),
        failure("connection refused", ssh -> ssh.port(closedPort), MAX_ATTEMPTS, "cannot connect to 127.0.0.1:"),
        failure("command exits non-zero", ssh -> ssh.command("echo 'disk full' >&2; exit 3"), 1,
            "exited with status 3"),
        failure("command hangs past its timeout",
            ssh -> ssh.command("exec sleep 30").commandTimeout(Duration.ofMillis(500)), 1,
            "did not finish within PT0.5S"));
  }

  private static Arguments failure(String name, UnaryOperator<SshCommandStep.Builder> breakIt, int attempts,
      String error) {
    return Arguments.of(name, breakIt, attempts, error);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void failureIsReportedClearlyAndRetriedOnlyWhenItCanPass(String name,
      UnaryOperator<SshCommandStep.Builder> breakIt, int expectedAttempts, String expectedError) {
    StatusStore store = StatusStore.inMemory();
    SshCommandStep.Builder restart = SshCommandStep.builder().name("restart").user(USER).password(PASSWORD)
        .port(server.port()).knownHosts(knownHosts).connectTimeout(Duration.ofSeconds(2)).command("true");
    RetryPolicy retry = RetryPolicy.builder().maxAttempts(MAX_ATTEMPTS).initialWait(Duration.ofMillis(10))
        .randomization(0).build();

    RolloutReport report = Rollout.builder().service("checkout").hosts(List.of("127.0.0.1", SECOND)).store(store)
        .step(ShuntStep.shunt(ShuntRequest.of("drill", "ci")))
        .step(breakIt.apply(restart).build(), StepOptions.none().withRetry(retry))
        .step(ShuntStep.unshunt())
        .listener(RolloutListener.silent())
        .build().run();

    HostReport failed = report.hosts().get(0);
    StepReport step = failed.failedStep().orElseThrow();
    assertThat(report.outcome()).isEqualTo(RolloutReport.Outcome.HALTED);
    assertThat(failed.outcome()).isEqualTo(HostReport.Outcome.FAILED);
    assertThat(step.step()).isEqualTo("restart");
    assertThat(step.result()).isIn(Result.FAILED, Result.TIMED_OUT);
    assertThat(step.outcome()).contains(expectedError).doesNotContain(PASSWORD);
    assertThat(step.attempts()).isEqualTo(expectedAttempts);
    assertThat(store.status(InstanceKey.of("checkout", "127.0.0.1")).shunted()).as("failed host stays shunted").isTrue();
    assertThat(report.hosts().get(1).outcome()).isEqualTo(HostReport.Outcome.UNTOUCHED);
    assertThat(store.status(InstanceKey.of("checkout", SECOND)).shunted()).isFalse();
  }
}
