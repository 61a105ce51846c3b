package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.TestSshServer;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code shunt roll} over real HTTP backends, restarting them with a local command or over a
 * real SSH server; the restarts and readiness requests write to one log, in the order they happen.
 */
class RollCommandTest extends RollTestBase {
  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void rollsHostsOneAfterAnotherWithEachShuntedFromRestartToReadiness(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String first = backend(200);
    String second = backend(200);

    Result result = roll(first, second);

    assertThat(result.exit()).isZero();
    assertThat(events()).containsExactly(
        "restart " + first,
        "ready " + first + ": shunted [" + first + "]",
        "restart " + second,
        "ready " + second + ": shunted [" + second + "]");
    assertThat(cli.store().shuntedInstances(CliFixture.SERVICE)).isEmpty();
    assertThat(result.out()).contains("checkout: rollout completed in ", "; 2 done, 0 failed, 0 untouched\n");
    assertThat(result.outLines()).anySatisfy(line -> assertThat(line).matches("  " + first + ": DONE in \\d+ ms; in rotation"))
        .anySatisfy(line -> assertThat(line).matches("  " + second + ": DONE in \\d+ ms; in rotation"));
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void failingReadinessHaltsExitsOneAndLeavesTheHostShunted(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String failing = backend(503);
    String next = backend(200);

    Result result = roll(failing, next);

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(cli.store().status(cli.key(failing)).shunted()).isTrue();
    assertThat(cli.store().status(cli.key(next)).shunted()).isFalse();
    assertThat(events()).startsWith("restart " + failing).doesNotContain("restart " + next);
    assertThat(result.out()).contains("checkout: rollout HALTED in ", "0 done, 1 failed, 1 untouched",
        "  " + failing + ": FAILED at ready (http://" + failing + "/ never returned a status within 200..399",
        "left SHUNTED", "  " + next + ": UNTOUCHED; in rotation");
    assertThat(result.err()).isEqualTo("shunt: rollout of checkout halted: " + failing + " failed at ready; it is"
        + " left shunted with no TTL: until someone unshunts it\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void failedHostWithATtlIsSaidToStayOutUntilItsShuntEnds(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String failing = backend(503);

    Result result = roll(failing, "--ttl", "15m");

    Instant until = cli.store().status(cli.key(failing)).expiresAt();
    assertThat(until).isNotNull();
    assertThat(result.out()).contains("  " + failing + ": FAILED at ready (", "; left SHUNTED until " + until
        + " (its shunt's TTL)\n");
    assertThat(result.err()).isEqualTo("shunt: rollout of checkout halted: " + failing + " failed at ready; it is"
        + " left shunted until " + until + " (its shunt's TTL)\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void failingRestartHaltsBeforeReadiness(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String host = backend(200);

    Result result = cli.runOnService("roll", host, "--restart", "echo cannot restart >&2; exit 7",
        "--ready-url", "http://{host}/", "--drain-timeout", "50ms");

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(result.out()).contains("[" + host + "]   cannot restart", "FAILED at restart", "exited with status 7");
    assertThat(events()).isEmpty();
    assertThat(cli.store().status(cli.key(host)).shunted()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void shuntsCarryReasonOwnerAndTtl(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String host = backend(503);

    roll(host, "--reason", "deploy 42", "--owner", "ci", "--ttl", "10m");

    assertThat(cli.store().status(cli.key(host))).satisfies(status -> {
      assertThat(status.reason()).isEqualTo("deploy 42");
      assertThat(status.owner()).isEqualTo("ci");
      assertThat(status.expiresAt()).isEqualTo(status.since().plusSeconds(600));
    });
  }

  @Test
  void hostsMayBeGivenCommaSeparated() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String first = backend(200);
    String second = backend(200);

    Result result = roll(first + "," + second);

    assertThat(result.exit()).isZero();
    assertThat(events()).filteredOn(line -> line.startsWith("restart ")).containsExactly(
        "restart " + first, "restart " + second);
  }

  @Test
  void restartRunsOnTheHostOverSsh() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String app = backend(200);
    try (TestSshServer ssh = TestSshServer.start(directory, Files.createFile(directory.resolve("authorized_keys")))) {
      Path knownHosts = ssh.writeKnownHosts(directory.resolve("known_hosts"), ssh.hostKey());
      cli.env("DEPLOY_PASSWORD", TestSshServer.PASSWORD);

      Result result = cli.runOnService("roll", "127.0.0.1", "--restart", restartCommand(),
          "--ready-url", "http://" + app + "/", "--drain-timeout", "50ms", "--rotation-timeout", "50ms",
          "--ssh-user", TestSshServer.USER, "--ssh-port", Integer.toString(ssh.port()),
          "--ssh-password-env", "DEPLOY_PASSWORD", "--known-hosts", knownHosts.toString());

      assertThat(result.exit()).as(result.out() + result.err()).isZero();
      assertThat(events()).first().isEqualTo("restart 127.0.0.1");
    }
  }

  @Test
  void unknownHostKeyFailsTheRestartAndLeavesTheHostShunted() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String app = backend(200);
    try (TestSshServer ssh = TestSshServer.start(directory, Files.createFile(directory.resolve("authorized_keys")))) {
      Path emptyKnownHosts = ssh.writeKnownHostsOfAnotherKeyType(directory.resolve("known_hosts"));
      cli.env("DEPLOY_PASSWORD", TestSshServer.PASSWORD);

      Result result = cli.runOnService("roll", "127.0.0.1", "--restart", restartCommand(),
          "--ready-url", "http://" + app + "/", "--drain-timeout", "50ms",
          "--ssh-user", TestSshServer.USER, "--ssh-port", Integer.toString(ssh.port()),
          "--ssh-password-env", "DEPLOY_PASSWORD", "--known-hosts", emptyKnownHosts.toString());

      assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
      assertThat(result.out()).contains("FAILED at restart", "host key");
      assertThat(events()).isEmpty();
      assertThat(cli.store().status(cli.key("127.0.0.1")).shunted()).isTrue();
    }
  }

  @Test
  void insecureAcceptAnyHostKeyTurnsTheCheckOff() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);
    String app = backend(200);
    try (TestSshServer ssh = TestSshServer.start(directory, Files.createFile(directory.resolve("authorized_keys")))) {
      cli.env("DEPLOY_PASSWORD", TestSshServer.PASSWORD);

      Result result = cli.runOnService("roll", "127.0.0.1", "--restart", restartCommand(),
          "--ready-url", "http://" + app + "/", "--drain-timeout", "50ms", "--rotation-timeout", "50ms",
          "--ssh-user", TestSshServer.USER, "--ssh-port", Integer.toString(ssh.port()),
          "--ssh-password-env", "DEPLOY_PASSWORD", "--insecure-accept-any-host-key");

      assertThat(result.exit()).as(result.out() + result.err()).isZero();
      assertThat(events()).first().isEqualTo("restart 127.0.0.1");
    }
  }

  @Test
  void sshUserWithoutAWayToLogInIsAUsageError() {
    useStore(CliFixture.Store.FLAG_FILES);

    Result result = roll("web-1", "--ssh-user", "deploy");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --ssh-user needs a way to log in: --ssh-key FILE, --ssh-agent or"
        + " --ssh-password-env VARIABLE\n");
    assertThat(cli.opened()).isEmpty();
  }

  @Test
  void sshOptionsWithoutSshUserAreAUsageError() {
    useStore(CliFixture.Store.FLAG_FILES);

    Result result = roll("web-1", "--ssh-agent");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: the --ssh-* options, --known-hosts and --insecure-accept-any-host-key"
        + " need --ssh-user\n");
  }

  @Test
  void passwordVariableThatIsNotSetIsAUsageError() {
    useStore(CliFixture.Store.FLAG_FILES);

    Result result = roll("web-1", "--ssh-user", "deploy", "--ssh-password-env", "NOT_SET_ANYWHERE");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --ssh-password-env names NOT_SET_ANYWHERE, which is not set\n");
  }

  @Test
  void clusterSafeOnAStoreWithoutAClusterIsAUsageErrorThatTouchesNothing() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);

    Result result = roll("web-1", "--cluster-safe");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --cluster-safe needs a store whose cluster it can watch, such as"
        + " hazelcast://HOST:PORT?cluster=NAME (the cluster the hosts' applications are members of); the store file:");
    assertThat(events()).isEmpty();
  }

  @Test
  void clusterOptionsWithoutClusterSafeAreAUsageError() {
    useStore(CliFixture.Store.FLAG_FILES);

    Result result = roll("web-1", "--cluster-members", "3");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --cluster-members goes with --cluster-safe\n");
    assertThat(cli.opened()).isEmpty();
  }

  @Test
  void missingRestartIsAUsageError() {
    useStore(CliFixture.Store.FLAG_FILES);

    Result result = cli.runOnService("roll", "web-1", "--ready-url", "http://{host}/");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Missing required option: '--restart=COMMAND'\n");
  }

  @Test
  void repeatedHostIsAUsageError() {
    useStore(CliFixture.Store.FLAG_FILES);

    Result result = roll("web-1", "web-1");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: hosts must be unique, was [web-1, web-1]\n");
  }

  @Test
  void hostStartingWithADashIsAUsageErrorThatTouchesNothing() throws Exception {
    useStore(CliFixture.Store.FLAG_FILES);

    Result result = roll("--", "-V");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: host must not start with '-' (a command given it, as in 'ssh {host}',"
        + " would read it as an option), was '-V'\n");
    assertThat(events()).isEmpty();
    assertThat(cli.opened()).isEmpty();
  }
}
