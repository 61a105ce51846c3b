package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.TestMemcached;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shunt roll}'s batches, failure tolerance, retries, time limits and cache flush, over real
 * HTTP backends (and a real memcached) on flag files.
 */
class RollPolicyTest {
  @TempDir
  Path directory;

  @TempDir
  Path flags;

  private RollFixture fixture;
  private CliFixture cli;

  @BeforeEach
  void start() {
    fixture = RollFixture.on(CliFixture.Store.FLAG_FILES, directory, flags);
    cli = fixture.cli();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** A restart that logs, then waits (10 s at most) until {@code count} restarts have begun. */
  private String restartWaitingForOthers(int count) {
    Path started = directory.resolve("started");
    return "mkdir -p '" + started + "'; touch '" + started + "/{host}'; " + fixture.restartCommand() + "; i=0;"
        + " while [ $(ls '" + started + "' | wc -l) -lt " + count + " ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1));"
        + " done; [ $(ls '" + started + "' | wc -l) -ge " + count + " ]";
  }

  @Test
  void hostsOfABatchAreRestartedAtOnce() throws Exception {
    String first = fixture.backend(200);
    String second = fixture.backend(200);

    Result result = fixture.rollWith(restartWaitingForOthers(2), first, second, "--batch", "2");

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("batch 1/1: " + first + ", " + second, "2 done, 0 failed");
  }

  @Test
  void batchAsAPercentageIsRoundedUp() throws Exception {
    String first = fixture.backend(200);
    String second = fixture.backend(200);
    String third = fixture.backend(200);

    Result result = fixture.rollWith(restartWaitingForOthers(2), first, second, third, "--batch", "50%");

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("batch 1/2: " + first + ", " + second, "batch 2/2: " + third);
  }

  @Test
  void canaryGoesAloneFirst() throws Exception {
    String canary = fixture.backend(200);
    String second = fixture.backend(200);
    String third = fixture.backend(200);

    Result result = fixture.roll(canary, second, third, "--canary", "1", "--batch", "2");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("canary batch 1/2: " + canary, "batch 2/2: " + second + ", " + third);
    assertThat(fixture.restarted()).startsWith(canary);
  }

  @Test
  void maxFailuresLetsTheRolloutGoOnPastAFailedHost() throws Exception {
    String failing = fixture.backend(503);
    String next = fixture.backend(200);

    Result result = fixture.roll(failing, next, "--max-failures", "1");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(fixture.restarted()).containsExactly(failing, next);
    assertThat(result.err()).isEqualTo("shunt: rollout of checkout completed with failures: " + failing
        + " failed at ready; it is left shunted\n");
    assertThat(cli.store().status(cli.key(next)).shunted()).isFalse();
  }

  @Test
  void onFailureUnshuntPutsTheFailedHostBackInRotation() throws Exception {
    String failing = fixture.backend(503);

    Result result = fixture.roll(failing, "--on-failure", "unshunt");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(cli.store().status(cli.key(failing)).shunted()).isFalse();
    assertThat(result.err()).isEqualTo("shunt: rollout of checkout halted: " + failing + " failed at ready; it is"
        + " left in rotation\n");
  }

  @Test
  void unknownFailurePolicyIsAUsageErrorListingTheKnownOnes() {
    Result result = fixture.roll("web-1", "--on-failure", "shrug");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Invalid value for option '--on-failure': 'shrug' is not one of"
        + " [leave-shunted, unshunt]\n");
    assertThat(cli.opened()).isEmpty();
  }

  @Test
  void batchThatIsNoCountIsAUsageError() {
    Result result = fixture.roll("web-1", "--batch", "half");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Invalid value for option '--batch': a host count must be a number"
        + " such as 3 or a percentage such as 25%, was 'half'\n");
  }

  @Test
  void batchOfNoHostIsAUsageError() {
    Result result = fixture.roll("web-1", "--batch", "0");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: batchSize must be >= 1 or 1%..100%, was 0\n");
  }

  @Test
  void retriesRunTheRestartAgainAfterAConnectionWasRefused() throws Exception {
    String app = fixture.backend(200);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    cli.env("DEPLOY_PASSWORD", "secret");

    Result result = cli.runOnService("roll", "127.0.0.1", "--restart", "true", "--ready-url", "http://" + app + "/",
        "--drain-timeout", "50ms", "--ssh-user", "deploy", "--ssh-port", Integer.toString(closedPort),
        "--ssh-password-env", "DEPLOY_PASSWORD", "--insecure-accept-any-host-key", "--retries", "2");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.out()).contains("restart attempt 1 failed (", "restart attempt 2 failed (",
        "restart FAILED in ").containsPattern("restart FAILED in \\d+ ms after 3 attempts");
  }

  @Test
  void withoutRetriesARefusedConnectionFailsAtOnce() throws Exception {
    String app = fixture.backend(200);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    cli.env("DEPLOY_PASSWORD", "secret");

    Result result = cli.runOnService("roll", "127.0.0.1", "--restart", "true", "--ready-url", "http://" + app + "/",
        "--drain-timeout", "50ms", "--ssh-user", "deploy", "--ssh-port", Integer.toString(closedPort),
        "--ssh-password-env", "DEPLOY_PASSWORD", "--insecure-accept-any-host-key");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.out()).doesNotContain("retrying").containsPattern("restart FAILED in \\d+ ms:");
  }

  @Test
  void negativeRetriesAreAUsageError() {
    Result result = fixture.roll("web-1", "--retries", "-1");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --retries must be >= 0, was -1\n");
  }

  @Test
  void stepTimeoutInterruptsASlowStepAndFailsItsHost() throws Exception {
    String host = fixture.backend(200);

    Result result = fixture.rollWith("sleep 30", host, "--step-timeout", "300ms");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.out()).contains("restart TIMED_OUT in ");
    assertThat(result.err()).isEqualTo("shunt: rollout of checkout halted: " + host + " failed at restart; it is left"
        + " shunted\n");
  }

  @Test
  void rolloutTimeoutStopsTheRolloutAndSaysItTimedOut() throws Exception {
    String slow = fixture.backend(200);
    String next = fixture.backend(200);

    Result result = fixture.rollWith("sleep 30", slow, next, "--timeout", "500ms");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.out()).contains("checkout: rollout TIMED_OUT in ", "  " + next + ": UNTOUCHED; in rotation");
    assertThat(result.err()).startsWith("shunt: rollout of checkout timed out: " + slow + " failed at restart; it is"
        + " left shunted\n");
  }

  @Test
  void memcachedIsFlushedOnceAHostIsReadyBeforeItIsUnshunted() throws Exception {
    String host = fixture.backend(200);
    try (TestMemcached memcached = TestMemcached.start()) {
      memcached.set("page:/", "stale");

      Result result = fixture.roll(host, "--flush-memcached", memcached.address());

      assertThat(result.exit()).as(result.out() + result.err()).isZero();
      assertThat(memcached.get("page:/")).isEmpty();
      assertThat(result.out()).contains("flush-cache ok in ", "flushed 1 memcached server(s): " + memcached.address());
      assertThat(result.out().indexOf("[" + host + "] flush-cache ok"))
          .isGreaterThan(result.out().indexOf("[" + host + "] ready ok"))
          .isLessThan(result.out().indexOf("[" + host + "] unshunt ..."));
    }
  }

  @Test
  void memcachedThatCannotBeFlushedFailsTheHostWhileItIsStillShunted() throws Exception {
    String host = fixture.backend(200);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Result result = fixture.roll(host, "--flush-memcached", "127.0.0.1:" + closedPort);

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.err()).isEqualTo("shunt: rollout of checkout halted: " + host + " failed at flush-cache; it is"
        + " left shunted\n");
  }
}
