package dev.shunt.workflow.cli;

import static dev.shunt.workflow.cli.CliFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.DeployLock;
import dev.shunt.JournalEntry;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shunt roll --plan}: how every option reaches the rollout, shown without touching anything. */
class RollPlanTest {
  private static final String[] HOSTS = {"web-1", "web-2", "web-3", "web-4", "web-5"};
  /** One address for every host: names like web-1 do not resolve here, and the pre-flight would refuse them. */
  private static final String READY_URL = "http://127.0.0.1:8080/";

  @TempDir
  Path directory;

  @TempDir
  Path flags;

  private CliFixture cli;

  @BeforeEach
  void start() {
    cli = CliFixture.on(CliFixture.Store.FLAG_FILES, flags);
  }

  /** {@code roll --plan} of five hosts with {@code options}; else the defaults. */
  private Result plan(String... options) {
    return cli.runOnService(Stream.of(Stream.of("roll", "--plan", "--restart", "systemctl restart app",
        "--ready-url", READY_URL), Stream.of(HOSTS), Stream.of(options)).flatMap(s -> s)
        .toArray(String[]::new));
  }

  @Test
  void planShowsBatchesStepsAndLimitsAndExitsZero() {
    Result result = plan("--batch", "2", "--canary", "1", "--max-failures", "1", "--on-failure", "unshunt",
        "--pause", "10s", "--timeout", "1h", "--step-timeout", "5m", "--retries", "2");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).startsWith("Rollout of checkout: 5 host(s) in 3 batch(es)\n"
        + "  canary batch 1 (web-1)\n  batch 2 (web-2, web-3)\n  batch 3 (web-4, web-5)\nSteps on each host:\n");
    assertThat(result.out().lines().filter(line -> line.contains("up to 3 attempts, backoff 500 ms x2.0 ±50% <= 30000"
        + " ms"))).hasSize(2).allSatisfy(line -> assertThat(line).containsAnyOf("restart [COMMAND]", "ready [READINESS]"));
    assertThat(result.out()).contains("rollout timeout PT5M", "Halts after more than 1 failed host(s); a failed host"
        + " is put back in rotation; pause between batches PT10S; rollout time limit PT1H");
  }

  @Test
  void planTouchesNothing() {
    Result result = plan("--batch", "2");

    assertThat(result.exit()).isZero();
    assertThat(cli.store().hosts(SERVICE)).isEmpty();
    assertThat(cli.store().shuntedInstances(SERVICE)).isEmpty();
    assertThat(cli.store().journal(SERVICE)).isEmpty();
    assertThat(DeployLock.flagFiles(flags).holder(SERVICE)).isEmpty();
  }

  @Test
  void warningsGoToStandardErrorToo() {
    Result result = plan("--drain-timeout", "50ms");

    String warning = "step 'drain' waits at most PT0.05S for the drain, but the load balancer needs fall 3 x inter PT2S"
        + " = PT6S to take a host out";
    assertThat(result.out()).contains("WARNING: " + warning);
    assertThat(result.err()).contains("shunt: warning: " + warning);
  }

  @Test
  void fallRiseAndInterReachTheWaitsAndTheWarnings() {
    Result result = plan("--fall", "2", "--rise", "4", "--inter", "100ms", "--drain-timeout", "1s",
        "--rotation-timeout", "300ms");

    assertThat(result.out()).contains("drain [DRAIN] timeout=PT1S fall=2 ", "rotation [ROTATION] timeout=PT0.3S rise=4 ",
        "Load balancer: fall 2, rise 4, inter PT0.1S");
    assertThat(result.err().lines().filter(line -> line.startsWith("shunt: warning: ")))
        .containsExactly("shunt: warning: step 'rotation' waits at most PT0.3S for the host to be back, but the load"
            + " balancer needs rise 4 x inter PT0.1S = PT0.4S to put it back: the next host may go while this one is"
            + " still out");
  }

  @Test
  void drainGoesOnAfterItsTimeoutByDefault() {
    assertThat(plan().out()).containsPattern("drain \\[DRAIN\\] .*afterTimeout=go on");
  }

  @Test
  void failOnDrainTimeoutMakesTheDrainFailAfterItsTimeout() {
    assertThat(plan("--fail-on-drain-timeout").out()).containsPattern("drain \\[DRAIN\\] .*afterTimeout=fail");
  }

  @Test
  void failOnDrainTimeoutReachesTheHaproxyDrainToo() {
    assertThat(plan("--drain", "haproxy:/run/haproxy/admin.sock", "--fail-on-drain-timeout").out())
        .containsPattern("haproxy-drain \\[DRAIN\\] .*afterTimeout=fail");
  }

  @Test
  void inFlightZeroMakesTheDrainWaitForRequestsInFlight() {
    Result result = plan("--in-flight-zero");

    assertThat(result.out()).contains("inFlight=REQUIRED");
  }

  @Test
  void haproxyDrainAsksTheRuntimeApiForTheServiceBackendByDefault() {
    Result result = plan("--drain", "haproxy:/run/haproxy/admin.sock", "--drain-timeout", "10s");

    assertThat(result.out()).contains("haproxy-drain [DRAIN] timeout=PT10S runtimeApi=unix:/run/haproxy/admin.sock"
        + " server=checkout/{host}");
    assertThat(result.exit()).as("no HAProxy listens on that socket here: a pre-flight error")
        .isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).contains("shunt: pre-flight: ERROR web-1 [haproxy-drain]: cannot read the state of"
        + " server checkout/web-1");
  }

  @Test
  void haproxyDrainOverTcpUsesTheBackendGiven() {
    Result result = plan("--drain", "haproxy:127.0.0.1:9999", "--haproxy-backend", "web");

    assertThat(result.out()).contains("runtimeApi=tcp:127.0.0.1:9999 server=web/{host}");
  }

  @Test
  void drainThatIsNeitherCheckersNorHaproxyIsAUsageError() {
    Result result = plan("--drain", "sleep");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Invalid value for option '--drain': 'sleep' is not checkers,"
        + " haproxy:UNIXSOCKET, haproxy:HOST:PORT or lb\n");
  }

  @Test
  void inFlightZeroWithTheHaproxyDrainIsAUsageError() {
    Result result = plan("--drain", "haproxy:127.0.0.1:9999", "--in-flight-zero");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --in-flight-zero goes with --drain checkers: the haproxy drain always"
        + " waits for 0 sessions\n");
  }

  @Test
  void haproxyBackendWithoutTheHaproxyDrainIsAUsageError() {
    Result result = plan("--haproxy-backend", "web");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --haproxy-backend goes with --drain haproxy:UNIXSOCKET or"
        + " haproxy:HOST:PORT\n");
  }

  @Test
  void planOfAResumedRolloutSkipsTheHostsTheJournalShowsDone() {
    cli.store().writeJournal(SERVICE, new JournalEntry("checkout-1", "web-1", JournalEntry.State.DONE, Instant.now(), ""));

    Result result = plan("--resume");

    assertThat(result.out()).startsWith("Rollout of checkout: 4 host(s) in 4 batch(es), 1 skipped as done before"
        + " (web-1)\n");
  }

  @Test
  void planWithCleanUpIsAUsageError() {
    Result result = plan("--clean-up");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --clean-up excludes --plan and --resume: it does not roll\n");
  }

  @Test
  void planWithAReportIsAUsageError() {
    Result result = plan("--report", directory.resolve("report.json").toString());

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --report needs a rollout: not with --plan or --clean-up\n");
  }
}
