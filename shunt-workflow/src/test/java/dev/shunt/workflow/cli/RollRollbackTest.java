package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.JournalEntry;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code roll --rollback}: a halted rollout puts the hosts it rolled back on the old version, newest first. */
class RollRollbackTest extends RollTestBase {
  private static final String TOKEN = "tok-91c3a0e5";

  @BeforeEach
  void onFlagFiles() {
    useStore(CliFixture.Store.FLAG_FILES);
  }

  /** Logs {@code rollback HOST}, as the restart logs {@code restart HOST}. */
  private String rollbackCommand() {
    return "echo rollback {host} >> '" + directory.resolve("events.log") + "'";
  }

  /** The restarts and rollbacks run, in order. */
  private java.util.List<String> commands() throws IOException {
    return events().stream().filter(line -> line.startsWith("restart ") || line.startsWith("rollback ")).toList();
  }

  @Test
  void haltedRolloutRollsBackEveryHostItRolledNewestFirstAndExits1() throws Exception {
    String first = backend(200);
    String second = backend(200);
    String third = backend(200);

    Result result = rollWith(restartCommand() + "; [ {host} != " + third + " ]", first, second, third,
        "--rollback", rollbackCommand());

    assertThat(result.exit()).as(result.out() + result.err()).isEqualTo(ShuntCli.FAILED);
    assertThat(commands()).containsExactly("restart " + first, "restart " + second, "restart " + third,
        "rollback " + third, "rollback " + second, "rollback " + first);
    assertThat(result.out()).contains("ROLLING BACK 3 host(s), newest first: " + third + ", " + second + ", " + first,
        "[" + third + "] ROLLED BACK in ", "rolled back 3 host(s) (" + third + ", " + second + ", " + first + ")",
        "  rollback " + first + ": DONE in ");
    assertThat(result.err()).contains("shunt: rollout of checkout halted: " + third + " failed at restart, then its"
        + " rollback succeeded; it is left in rotation", "shunt: rollout of checkout halted: rolled back 3 host(s)");
    assertThat(cli.store().shuntedInstances("checkout")).isEmpty();
    assertThat(cli.store().journal("checkout")).extracting(JournalEntry::state)
        .containsOnly(JournalEntry.State.ROLLED_BACK);
  }

  @Test
  void resumeAfterARollbackExits2BeforeTouchingAnything() throws Exception {
    String first = backend(200);
    String second = backend(200);
    rollWith(restartCommand() + "; [ {host} != " + second + " ]", first, second, "--rollback", rollbackCommand());
    int commandsBefore = commands().size();

    Result resumed = roll(first, second, "--resume", "--rollback", rollbackCommand());

    assertThat(resumed.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(resumed.err()).contains("[resume]: rollout ", "resuming it would roll forward the version it rolled back");
    assertThat(commands()).hasSize(commandsBefore);
  }

  @Test
  void planShowsTheRollbackStepsAndTheRollbackCommandsSecretIsMaskedEverywhere() throws Exception {
    String first = backend(200);
    String second = backend(200);
    cli.env("DEPLOY_TOKEN", TOKEN);
    String rollback = "echo \"rolling back with $DEPLOY_TOKEN\"; " + rollbackCommand();
    Path report = directory.resolve("report.json");

    Result plan = roll(first, second, "--plan", "--rollback", rollback, "--secret-env", "DEPLOY_TOKEN");
    Result result = rollWith(restartCommand() + "; [ {host} != " + second + " ]", first, second,
        "--rollback", rollback, "--secret-env", "DEPLOY_TOKEN", "--report", report.toString());

    assertThat(plan.exit()).isZero();
    assertThat(plan.out()).contains("On a halt, roll back one host at a time, newest first", "rollback [COMMAND]",
        "(instead of restart)");
    assertThat(result.out()).contains("rolling back with ****");
    assertThat(plan.out() + result.out() + result.err()).doesNotContain(TOKEN);
    assertThat(Files.readString(report)).contains("\"rollback\":{\"outcome\":\"COMPLETED\"").doesNotContain(TOKEN);
  }

  @Test
  void rollbackTimeoutWithoutRollbackIsAUsageError() throws Exception {
    Result result = roll(backend(200), "--rollback-timeout", "1m");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).contains("--rollback-timeout goes with --rollback");
  }
}
