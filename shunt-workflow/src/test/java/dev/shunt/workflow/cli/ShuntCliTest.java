package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.cli.CliFixture.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every command shares: help, the store and service options, errors and exit codes. */
class ShuntCliTest {
  @TempDir
  Path directory;

  private CliFixture flagFiles() {
    return CliFixture.on(CliFixture.Store.FLAG_FILES, directory);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "status", "shunt", "unshunt", "budget", "budget set", "budget show", "budget clear",
      "wait-for-http", "maintenance", "maintenance on", "maintenance off", "roll", "lock", "lock show",
      "lock release"})
  void helpWorksOnEveryCommand(String command) {
    String[] words = command.isEmpty() ? new String[0] : command.split(" ");
    String[] args = Stream.concat(Arrays.stream(words), Stream.of("--help")).toArray(String[]::new);

    Result result = flagFiles().run(args);

    assertThat(result.exit()).isZero();
    assertThat(result.out()).startsWith("Usage: shunt" + (command.isEmpty() ? "" : " " + command) + " ");
    assertThat(result.out()).contains("Exit codes:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"status", "shunt", "unshunt", "budget set", "budget show", "maintenance on", "roll",
      "lock show", "lock release"})
  void everyCommandThatUsesTheStoreTakesStoreAndServiceAndShowsThem(String command) {
    String[] args = Stream.concat(Arrays.stream(command.split(" ")), Stream.of("--help")).toArray(String[]::new);

    Result result = flagFiles().run(args);

    assertThat(result.out()).contains("--store=SPEC", "--service=NAME");
  }

  @Test
  void helpTextsFormatWithoutPicocliWarnings() {
    PrintStream standardError = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    Result roll;
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      roll = flagFiles().run("roll", "--help");
      for (String command : List.of("budget", "status", "shunt", "lock", "wait-for-http")) {
        flagFiles().run(command, "--help");
      }
      flagFiles().run("budget", "set", "--help");
      flagFiles().run("lock", "release", "--help");
    } finally {
      System.setErr(standardError);
    }

    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(roll.out()).contains("±50% jitter");
  }

  @Test
  void helpListsEveryExitCode() {
    Result result = flagFiles().run("--help");

    assertThat(result.out()).contains("  4     roll: another rollout holds the service's deploy lock",
        "  5     shunt: the service's disruption budget is used up",
        "  6     lock release: the deploy lock is free; nothing was released",
        "  130   roll was cancelled (SIGINT, SIGTERM)");
  }

  @Test
  void withoutACommandPrintsTheUsageAsAUsageError() {
    Result result = flagFiles().run();

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("Usage: shunt ");
  }

  @Test
  void unknownOptionIsAUsageErrorThatSaysWhereToFindHelp() {
    Result result = flagFiles().runOnService("status", "--bogus");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).isEqualTo("shunt: Unknown option: '--bogus'\nTry 'shunt status --help' for usage.\n");
  }

  @Test
  void unknownCommandIsAUsageError() {
    Result result = flagFiles().run("drain", "web-1");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Unmatched arguments from index 0: 'drain', 'web-1'");
  }

  @Test
  void missingServiceIsAUsageError() {
    CliFixture cli = flagFiles();

    Result result = cli.run("--store", cli.spec(), "shunt", "web-1");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).isEqualTo("shunt: --service is required (or set SHUNT_SERVICE)\n"
        + "Try 'shunt shunt --help' for usage.\n");
    assertThat(cli.opened()).isEmpty();
  }

  @Test
  void serviceComesFromShuntServiceWhenNotGiven() {
    CliFixture cli = flagFiles().env("SHUNT_SERVICE", CliFixture.SERVICE);

    Result result = cli.run("--store", cli.spec(), "shunt", "web-1");

    assertThat(result.exit()).isZero();
    assertThat(cli.store().status(cli.key("web-1")).shunted()).isTrue();
  }

  @Test
  void storeComesFromShuntStoreWhenNotGiven() {
    CliFixture cli = flagFiles().env("SHUNT_STORE", "file:" + directory);

    cli.run("--service", CliFixture.SERVICE, "shunt", "web-1");

    assertThat(cli.opened()).containsExactly("file:" + directory);
    assertThat(cli.store().status(cli.key("web-1")).shunted()).isTrue();
  }

  @Test
  void storeOptionWinsOverShuntStore() {
    CliFixture cli = flagFiles().env("SHUNT_STORE", "memory:");

    cli.runOnService("status", "web-1");

    assertThat(cli.opened()).containsExactly(cli.spec());
  }

  @Test
  void storeDefaultsToFlagFilesInVarRunShunt() {
    CliFixture cli = flagFiles();

    cli.run("--service", CliFixture.SERVICE, "status", "web-1");

    assertThat(cli.opened()).containsExactly("file:/var/run/shunt");
  }

  @Test
  void globalOptionsMayFollowTheCommand() {
    CliFixture cli = flagFiles();

    Result result = cli.run("shunt", "web-1", "--store", cli.spec(), "--service", CliFixture.SERVICE);

    assertThat(result.exit()).isZero();
    assertThat(cli.store().status(cli.key("web-1")).shunted()).isTrue();
  }

  @Test
  void invalidHostIsAUsageError() {
    Result result = flagFiles().runOnService("shunt", "web 1");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: host must be 1 to 200 of the characters [A-Za-z0-9._:-]");
  }

  @Test
  void invalidDurationIsAUsageError() {
    Result result = flagFiles().runOnService("shunt", "web-1", "--ttl", "soon");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Invalid value for option '--ttl': 'soon' is not a positive duration"
        + " such as 500ms, 6s, 15m, 2h, 1d or PT1M30S\n");
  }

  @Test
  void malformedStoreSpecIsAUsageError() {
    Result result = flagFiles().run("--store", "memory:shared", "--service", "checkout", "status");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: store spec 'memory:shared' is malformed");
  }

  @Test
  void hazelcastSpecWithoutShuntHazelcastOnTheClassPathNamesTheKnownSchemes() {
    Result result = flagFiles().run("--store", "hazelcast://127.0.0.1:5701", "--service", "checkout", "status");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: store spec 'hazelcast://127.0.0.1:5701' has an unknown scheme"
        + " 'hazelcast:'; known schemes: memory: (e.g. memory:), file: (e.g. file:/var/run/shunt)\n");
  }

  @Test
  void storeThatCannotBeOpenedExitsThree() throws Exception {
    Path file = Files.writeString(directory.resolve("not-a-directory"), "x");

    Result result = flagFiles().run("--store", "file:" + file, "--service", "checkout", "status", "web-1");

    assertThat(result.exit()).isEqualTo(ShuntCli.STORE_UNAVAILABLE);
    assertThat(result.err()).isEqualTo("shunt: store unavailable (file:" + file + "): cannot use " + file
        + " for flag files (store spec 'file:" + file + "'): it is not a directory\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void storeThatCannotBeWrittenExitsThree() throws Exception {
    Path file = Files.writeString(directory.resolve("blocker"), "x");
    String spec = "file:" + file.resolve("flags");

    Result result = flagFiles().run("--store", spec, "--service", "checkout", "shunt", "web-1");

    assertThat(result.exit()).isEqualTo(ShuntCli.STORE_UNAVAILABLE);
    assertThat(result.err()).startsWith("shunt: store unavailable (" + spec + "): cannot ")
        .contains(file.resolve("flags/checkout").toString());
  }

  @Test
  void exitCodesAreStable() {
    assertThat(List.of(ShuntCli.OK, ShuntCli.FAILED, ShuntCli.USAGE, ShuntCli.STORE_UNAVAILABLE, ShuntCli.LOCK_HELD,
        ShuntCli.BUDGET_EXCEEDED, ShuntCli.LOCK_FREE, ShuntCli.CANCELLED))
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 130);
  }
}
