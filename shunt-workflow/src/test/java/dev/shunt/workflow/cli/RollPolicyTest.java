package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.TestMemcached;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code shunt roll}'s batches, failure tolerance, retries, time limits and cache flush, over real
 * HTTP backends (and a real memcached) on flag files.
 */
class RollPolicyTest extends RollTestBase {
  @BeforeEach
  void onFlagFiles() {
    useStore(CliFixture.Store.FLAG_FILES);
  }

  /** {@code roll} of 127.0.0.1 with the restart over SSH to {@code port}, where nothing listens. */
  private Result rollOverSshTo(int port, String... options) throws IOException {
    String app = backend(200);
    cli.env("DEPLOY_PASSWORD", "secret");
    return cli.runOnService(Stream.concat(Stream.of("roll", "127.0.0.1", "--restart", "true",
        "--ready-url", "http://" + app + "/", "--drain-timeout", "50ms", "--ssh-user", "deploy",
        "--ssh-port", Integer.toString(port), "--ssh-password-env", "DEPLOY_PASSWORD",
        "--insecure-accept-any-host-key"), Stream.of(options)).toArray(String[]::new));
  }

  /** A restart that logs, then waits (10 s at most) until {@code count} restarts have begun. */
  private String restartWaitingForOthers(int count) {
    Path started = directory.resolve("started");
    return "mkdir -p '" + started + "'; touch '" + started + "/{host}'; " + restartCommand() + "; i=0;"
        + " while [ $(ls '" + started + "' | wc -l) -lt " + count + " ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1));"
        + " done; [ $(ls '" + started + "' | wc -l) -ge " + count + " ]";
  }

  @Test
  void hostsOfABatchAreRestartedAtOnce() throws Exception {
    String first = backend(200);
    String second = backend(200);

    Result result = rollWith(restartWaitingForOthers(2), first, second, "--batch", "2");

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("batch 1/1: " + first + ", " + second, "2 done, 0 failed");
  }

  @Test
  void batchAsAPercentageIsRoundedUp() throws Exception {
    String first = backend(200);
    String second = backend(200);
    String third = backend(200);

    Result result = rollWith(restartWaitingForOthers(2), first, second, third, "--batch", "50%");

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("batch 1/2: " + first + ", " + second, "batch 2/2: " + third);
  }

  @Test
  void canaryGoesAloneFirst() throws Exception {
    String canary = backend(200);
    String second = backend(200);
    String third = backend(200);

    Result result = roll(canary, second, third, "--canary", "1", "--batch", "2");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("canary batch 1/2: " + canary, "batch 2/2: " + second + ", " + third);
    assertThat(restarted()).startsWith(canary);
  }

  @Test
  void maxFailuresLetsTheRolloutGoOnPastAFailedHost() throws Exception {
    String failing = backend(503);
    String next = backend(200);

    Result result = roll(failing, next, "--max-failures", "1");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(restarted()).containsExactly(failing, next);
    assertThat(result.err()).isEqualTo("shunt: rollout of checkout completed with failures: " + failing
        + " failed at ready; it is left shunted with no TTL: until someone unshunts it\n");
    assertThat(cli.store().status(cli.key(next)).shunted()).isFalse();
  }

  @Test
  void onFailureUnshuntPutsTheFailedHostBackInRotation() throws Exception {
    String failing = backend(503);

    Result result = roll(failing, "--on-failure", "unshunt");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(cli.store().status(cli.key(failing)).shunted()).isFalse();
    assertThat(result.err()).isEqualTo("shunt: rollout of checkout halted: " + failing + " failed at ready; it is"
        + " left in rotation\n");
  }

  @Test
  void unknownFailurePolicyIsAUsageErrorListingTheKnownOnes() {
    Result result = roll("web-1", "--on-failure", "shrug");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Invalid value for option '--on-failure': 'shrug' is not one of"
        + " [leave-shunted, unshunt]\n");
    assertThat(cli.opened()).isEmpty();
  }

  @Test
  void batchThatIsNoCountIsAUsageError() {
    Result result = roll("web-1", "--batch", "half");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Invalid value for option '--batch': a host count must be a number"
        + " such as 3 or a percentage such as 25%, was 'half'\n");
  }

  @Test
  void batchOfNoHostIsAUsageError() {
    Result result = roll("web-1", "--batch", "0");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: batchSize must be >= 1 or 1%..100%, was 0\n");
  }

  @Test
  void aSettingTheRestartStepRefusesIsAUsageErrorOfRestart() {
    Result result = roll("web-1", "--ssh-user", " ", "--ssh-agent", "--known-hosts", "known_hosts");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --restart: user must not be blank, was ' '\n");
    assertThat(cli.opened()).isEmpty();
  }

  @Test
  void retriesRunTheRestartAgainAfterAConnectionWasRefused() throws Exception {
    Result result = rollOverSshTo(closedPort(), "--retries", "2");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.out()).contains("restart attempt 1 failed (", "restart attempt 2 failed (",
        "restart FAILED in ").containsPattern("restart FAILED in \\d+ ms after 3 attempts");
  }

  @Test
  void withoutRetriesARefusedConnectionFailsAtOnce() throws Exception {
    Result result = rollOverSshTo(closedPort());

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.out()).doesNotContain("retrying").containsPattern("restart FAILED in \\d+ ms:");
  }

  @Test
  void negativeRetriesAreAUsageError() {
    Result result = roll("web-1", "--retries", "-1");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --retries must be >= 0, was -1\n");
  }

  @Test
  void stepTimeoutInterruptsASlowStepAndFailsItsHost() throws Exception {
    String host = backend(200);

    Result result = rollWith("sleep 30", host, "--step-timeout", "300ms");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.out()).contains("restart TIMED_OUT in ");
    assertThat(result.err()).isEqualTo("shunt: rollout of checkout halted: " + host + " failed at restart; it is left"
        + " shunted with no TTL: until someone unshunts it\n");
  }

  @Test
  void rolloutTimeoutStopsTheRolloutAndSaysItTimedOut() throws Exception {
    String slow = backend(200);
    String next = backend(200);

    Result result = rollWith("sleep 30", slow, next, "--timeout", "500ms");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.out()).contains("checkout: rollout TIMED_OUT in ", "  " + next + ": UNTOUCHED; in rotation");
    assertThat(result.err()).startsWith("shunt: rollout of checkout timed out: " + slow + " failed at restart; it is"
        + " left shunted with no TTL: until someone unshunts it\n");
  }

  @Test
  void memcachedIsFlushedOnceAHostIsReadyBeforeItIsUnshunted() throws Exception {
    String host = backend(200);
    try (TestMemcached memcached = TestMemcached.start()) {
      memcached.set("page:/", "stale");

      Result result = roll(host, "--flush-memcached", memcached.address());

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
    String host = backend(200);

    Result result = roll(host, "--flush-memcached", "127.0.0.1:" + closedPort());

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.err()).isEqualTo("shunt: rollout of checkout halted: " + host + " failed at flush-cache; it is"
        + " left shunted with no TTL: until someone unshunts it\n");
  }
}
