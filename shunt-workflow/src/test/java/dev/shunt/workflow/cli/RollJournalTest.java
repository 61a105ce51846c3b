package dev.shunt.workflow.cli;

import static dev.shunt.workflow.cli.CliFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code shunt roll --resume}, {@code --clean-up} and {@code --report}: after a rollout that did not finish. */
class RollJournalTest extends RollTestBase {
  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void resumeSkipsTheHostsAHaltedRolloutFinished(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String done = backend(200);
    String failing = backend(503);
    String untouched = backend(200);
    assertThat(roll(done, failing, untouched).exit()).isEqualTo(ShuntCli.FAILED);
    backendOf(failing).answer(200);

    Result resumed = roll(done, failing, untouched, "--resume");

    assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
    assertThat(restarted()).containsExactly(done, failing, failing, untouched);
    assertThat(resumed.out()).contains("2 done, 0 failed, 0 untouched, 1 skipped");
    assertThat(cli.store().shuntedInstances(SERVICE)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void cleanUpPutsBackTheHostsAHaltedRolloutLeftOutAndPrintsThem(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String done = backend(200);
    String failing = backend(503);
    assertThat(roll(done, failing).exit()).isEqualTo(ShuntCli.FAILED);

    Result cleanUp = roll(done, failing, "--clean-up");

    assertThat(cleanUp.exit()).isZero();
    assertThat(cleanUp.out()).isEqualTo("checkout/" + failing + ": in rotation\n"
        + "checkout: clean-up put 1 host(s) back in rotation\n");
    assertThat(cli.store().shuntedInstances(SERVICE)).isEmpty();
    assertThat(cli.store().journal(SERVICE)).isEmpty();
    assertThat(restarted()).containsExactly(done, failing);
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void cleanUpWithNothingLeftOutSaysSo(CliFixture.Store kind) {
    useStore(kind);

    Result cleanUp = roll("web-1", "--clean-up");

    assertThat(cleanUp.exit()).isZero();
    assertThat(cleanUp.out()).isEqualTo("checkout: clean-up put 0 host(s) back in rotation\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void reportHoldsEveryHostWithItsStepsAsJson(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String host = backend(200);
    Path report = directory.resolve("report.json");

    Result result = roll(host, "--report", report.toString());

    assertThat(result.exit()).isZero();
    assertThat(Files.readString(report)).startsWith("{\"rolloutId\":\"checkout-").contains(
        "\"service\":\"checkout\"", "\"outcome\":\"COMPLETED\"", "\"host\":\"" + host + "\"",
        "\"step\":\"restart\"", "\"step\":\"ready\"");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void reportIsWrittenWhenTheRolloutHaltsToo(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String failing = backend(503);
    Path report = directory.resolve("report.json");

    Result result = roll(failing, "--report", report.toString());

    assertThat(result.exit()).isEqualTo(ShuntCli.FAILED);
    assertThat(Files.readString(report)).contains("\"outcome\":\"HALTED\"", "\"outcome\":\"FAILED\"");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void reportInADirectoryThatDoesNotExistIsAUsageErrorBeforeAnythingIsDone(CliFixture.Store kind) {
    useStore(kind);
    Path report = directory.resolve("missing/report.json");

    Result result = roll("web-1", "--report", report.toString());

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --report names " + report + ", whose directory does not exist\n");
    assertThat(cli.opened()).isEmpty();
  }
}
