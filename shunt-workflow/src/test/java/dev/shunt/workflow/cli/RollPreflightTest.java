package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.shunt.workflow.cli.CliFixture.SERVICE;

import dev.shunt.CheckerReport;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code shunt roll}'s pre-flight: errors exit 2 before anything is touched, each problem on a
 * line of its own; warnings are printed as the rollout starts; {@code --strict-preflight} makes
 * them stop it; {@code --plan} shows them.
 */
class RollPreflightTest extends RollTestBase {

  @BeforeEach
  void onFlagFiles() {
    useStore(CliFixture.Store.FLAG_FILES);
  }

  /** As the host's responder would after a health check from a load balancer that counts requests. */
  private void checkedNow(String host) {
    cli.store().report(cli.key(host), new CheckerReport("127.0.0.1", false, 1, Instant.now(), 0));
  }

  @Test
  void hostsThatDoNotResolveExitTwoListingEachProblemOnItsOwnLineAndTouchNothing() throws Exception {
    String app = backend(200);
    checkedNow(app);

    Result result = roll("no-such-host-1.invalid," + app + ",no-such-host-2.invalid");

    assertThat(result.exit()).as(result.out() + result.err()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err().lines().toList()).first().isEqualTo("shunt: the pre-flight of the rollout of checkout"
        + " found 2 error(s); nothing was touched:");
    assertThat(result.err().lines().filter(line -> line.startsWith("shunt: pre-flight: ERROR ")))
        .hasSize(2)
        .anySatisfy(line -> assertThat(line).startsWith("shunt: pre-flight: ERROR no-such-host-1.invalid [ready]: its"
            + " URL http://no-such-host-1.invalid/: host name 'no-such-host-1.invalid' does not resolve"))
        .anySatisfy(line -> assertThat(line).startsWith("shunt: pre-flight: ERROR no-such-host-2.invalid [ready]:"));
    assertThat(restarted()).isEmpty();
    assertThat(cli.store().shuntedInstances(SERVICE)).isEmpty();
    assertThat(cli.deployLock().holder(SERVICE)).isEmpty();
    assertThat(cli.store().journal(SERVICE)).isEmpty();
  }

  @Test
  void hostNoLoadBalancerCheckedIsAWarningPrintedAsTheRolloutStarts() throws Exception {
    String app = backend(200);

    Result result = roll(app);

    assertThat(result.exit()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("[" + app + "] PRE-FLIGHT WARNING [drain]: no load balancer has checked its"
        + " health responder in the last PT2M");
    assertThat(restarted()).containsExactly(app);
  }

  @Test
  void strictPreflightStopsOnThatWarningWithExitTwo() throws Exception {
    String app = backend(200);

    Result result = roll(app, "--strict-preflight");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).contains("shunt: pre-flight: ERROR " + app + " [drain]: no load balancer has checked");
    assertThat(restarted()).isEmpty();
  }

  @Test
  void planShowsThePreflightsFindingsAndExitsTwoOnAnError() throws Exception {
    String app = backend(200);

    Result result = roll(app + ",no-such-host.invalid", "--plan");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).contains("shunt: the pre-flight of the rollout of checkout found 1 error(s); nothing was"
        + " touched:\n", "shunt: pre-flight: ERROR no-such-host.invalid [ready]: its URL http://no-such-host.invalid/:");
    assertThat(restarted()).isEmpty();
    assertThat(result.out()).contains("Pre-flight: 1 error(s), 2 warning(s); the rollout will not start\n",
        "  ERROR no-such-host.invalid [ready]: its URL http://no-such-host.invalid/: host name"
            + " 'no-such-host.invalid' does not resolve",
        "  WARNING " + app + " [drain]: no load balancer has checked");
  }

  @Test
  void inFlightTakesTheThreeWaits() throws Exception {
    String app = backend(200);

    assertThat(roll(app, "--plan", "--in-flight", "ignored").out()).contains("inFlight=IGNORED");
    assertThat(roll(app, "--plan", "--in-flight", "required").out()).contains("inFlight=REQUIRED");
    assertThat(roll(app, "--plan").out()).doesNotContain("inFlight=");
  }

  @Test
  void inFlightZeroWithAnotherInFlightWaitIsAUsageError() throws Exception {
    Result result = roll(backend(200), "--plan", "--in-flight-zero", "--in-flight", "ignored");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --in-flight-zero means --in-flight required, but --in-flight ignored"
        + " was given: choose one\n");
  }

  @Test
  void inFlightWaitThatIsNotOneOfTheThreeIsAUsageError() throws Exception {
    Result result = roll(backend(200), "--plan", "--in-flight", "sometimes");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).contains("'sometimes' is not one of [when-counted, required, ignored]");
  }

  @Test
  void haproxyServerWithoutTheHaproxyDrainIsAUsageError() throws Exception {
    Result result = roll(backend(200), "--plan", "--haproxy-server", "app-{index}");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --haproxy-server goes with --drain haproxy:UNIXSOCKET or"
        + " haproxy:HOST:PORT\n");
  }

  @Test
  void haproxyServerTemplateReachesThePlan() throws Exception {
    Result result = roll(backend(200), "--plan", "--drain", "haproxy:127.0.0.1:9", "--haproxy-server", "app-{index}");

    assertThat(result.exit()).as("nothing listens on port 9: an error").isEqualTo(ShuntCli.USAGE);
    assertThat(result.out()).contains("server=checkout/app-{index}", "ERROR ",
        "[haproxy-drain]: cannot read the state of server checkout/app-1");
  }
}
