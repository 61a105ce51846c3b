package dev.shunt.workflow;

import static dev.shunt.workflow.TestSshServer.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.StatusStore;
import dev.shunt.Step;
import dev.shunt.StepFailedException;
import dev.shunt.workflow.StepReport.Result;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutRetryTest {
  @TempDir
  static Path serverDir;

  private static TestSshServer server;
  private static Path knownHosts;

  @TempDir
  Path dir;

  private final RecordingListener listener = new RecordingListener();

  /** Quick retries: 10 ms, then 20 ms, 40 ms…, without jitter so the waits can be checked. */
  private static RetryPolicy.Builder quick() {
    return RetryPolicy.builder().initialWait(Duration.ofMillis(10)).multiplier(2).randomization(0)
        .maxWait(Duration.ofMillis(100));
  }

  @BeforeAll
  static void startServer() throws Exception {
    Path authorizedKeys = Files.writeString(serverDir.resolve("authorized_keys"), "");
    server = TestSshServer.start(serverDir, authorizedKeys);
    knownHosts = server.writeKnownHosts(serverDir.resolve("known_hosts"), server.hostKey());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private StepReport runOnce(Step step, RetryPolicy policy) {
    RolloutReport report = Rollout.builder().service("checkout").hosts(List.of("127.0.0.1"))
        .store(StatusStore.inMemory()).step(step, StepOptions.none().withRetry(policy)).listener(listener)
        .build().run();
    return report.hosts().get(0).steps().get(0);
  }

  @Test
  void transientErrorIsRetriedUntilTheStepSucceedsAndTheAttemptsAreCounted() {
    List<Integer> attemptsSeen = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();

    StepReport step = runOnce(Step.named("connect", context -> {
      attemptsSeen.add(context.attempt());
      if (calls.incrementAndGet() < 3) {
        throw new ConnectException("Connection refused");
      }
    }), quick().maxAttempts(5).build());

    assertThat(step.result()).isEqualTo(Result.SUCCEEDED);
    assertThat(step.attempts()).isEqualTo(3);
    assertThat(attemptsSeen).containsExactly(1, 2, 3);
    assertThat(listener.events()).filteredOn(event -> event.startsWith("stepRetrying"))
        .containsExactly("stepRetrying 127.0.0.1 connect 1", "stepRetrying 127.0.0.1 connect 2");
  }

  @Test
  void waitsBetweenAttemptsGrowExponentially() {
    List<Duration> waits = new CopyOnWriteArrayList<>();

    Rollout.builder().service("checkout").hosts(List.of("web-1")).store(StatusStore.inMemory())
        .step(Step.named("connect", context -> {
          throw new ConnectException("Connection refused");
        }), StepOptions.none().withRetry(quick().maxAttempts(4).build()))
        .listener(new RolloutListener() {
          @Override
          public void stepRetrying(String host, String step, int failedAttempt, Throwable error, Duration wait) {
            waits.add(wait);
          }
        }).build().run();

    assertThat(waits).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40));
  }

  @Test
  void stepGivesUpAfterMaxAttemptsWithTheLastError() {
    AtomicInteger calls = new AtomicInteger();

    StepReport step = runOnce(Step.named("connect", context -> {
      throw new ConnectException("refused #" + calls.incrementAndGet());
    }), quick().maxAttempts(3).build());

    assertThat(step.result()).isEqualTo(Result.FAILED);
    assertThat(step.attempts()).isEqualTo(3);
    assertThat(step.outcome()).isEqualTo("refused #3");
  }

  @Test
  void sshConnectionRefusedIsRetried() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Path knownClosedPort = TestSshServer.writeKnownHosts(dir.resolve("known_hosts_closed_port"), server.hostKey(),
        closedPort);

    StepReport step = runOnce(SshCommandStep.builder().user(USER).port(closedPort).password("x")
        .knownHosts(knownClosedPort).command("true").connectTimeout(Duration.ofSeconds(2)).build(),
        quick().maxAttempts(3).build());

    assertThat(step.result()).isEqualTo(Result.FAILED);
    assertThat(step.attempts()).isEqualTo(3);
    assertThat(step.outcome()).contains("refused");
  }

  @Test
  void sshAuthenticationFailureIsNeverRetried() {
    StepReport step = runOnce(SshCommandStep.builder().user(USER).port(server.port()).password("wrong-password")
        .knownHosts(knownHosts).command("true").build(), quick().maxAttempts(3).build());

    assertThat(step.result()).isEqualTo(Result.FAILED);
    assertThat(step.attempts()).isEqualTo(1);
    assertThat(step.outcome()).contains("refused the password");
  }

  @Test
  void sshUnknownHostKeyIsNeverRetried() throws Exception {
    Path otherKeyType = server.writeKnownHostsOfAnotherKeyType(dir.resolve("known_hosts"));

    StepReport step = runOnce(SshCommandStep.builder().user(USER).port(server.port())
        .password(TestSshServer.PASSWORD).knownHosts(otherKeyType).command("true").build(), quick().maxAttempts(3).build());

    assertThat(step.result()).isEqualTo(Result.FAILED);
    assertThat(step.attempts()).isEqualTo(1);
  }

  @Test
  void commandThatExitsNonZeroIsNotRetriedByDefault() throws Exception {
    Path counter = dir.resolve("runs");

    StepReport step = runOnce(countingCommand(counter), quick().maxAttempts(3).build());

    assertThat(step.result()).isEqualTo(Result.FAILED);
    assertThat(step.attempts()).isEqualTo(1);
    assertThat(Files.readString(counter).strip()).isEqualTo("1");
  }

  @Test
  void userCanOptIntoRetryingACommandThatExitsNonZero() throws Exception {
    Path counter = dir.resolve("runs");

    StepReport step = runOnce(countingCommand(counter),
        quick().maxAttempts(5).retryOn(error -> error instanceof StepFailedException).build());

    assertThat(step.result()).isEqualTo(Result.SUCCEEDED);
    assertThat(step.attempts()).isEqualTo(3);
    assertThat(Files.readString(counter).strip()).isEqualTo("3");
  }

  /** A real command that counts its runs in {@code counter} and succeeds from the third run on. */
  private static CommandStep countingCommand(Path counter) {
    return CommandStep.builder().name("flaky")
        .command("sh", "-c", "n=$(cat '" + counter + "' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '" + counter
            + "'; [ $n -ge 3 ]")
        .timeout(Duration.ofSeconds(10)).build();
  }

  @Test
  void jsonReportCarriesTheAttempts() {
    AtomicInteger calls = new AtomicInteger();
    RolloutReport report = Rollout.builder().service("checkout").hosts(List.of("web-1"))
        .store(StatusStore.inMemory()).listener(RolloutListener.silent())
        .step(Step.named("connect", context -> {
          if (calls.incrementAndGet() < 2) {
            throw new ConnectException("Connection refused");
          }
        }), StepOptions.none().withRetry(quick().build())).build().run();

    assertThat(report.toJson()).contains("\"step\":\"connect\",\"kind\":\"OTHER\",\"result\":\"SUCCEEDED\"")
        .contains("\"attempts\":2");
  }
}
