package dev.shunt.workflow.cli;

import static dev.shunt.workflow.cli.CliFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.LockGrant;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code shunt roll} takes the deploy lock that goes with its store, so two rollouts never run at once. */
class RollLockTest extends RollTestBase {
  private LockGrant lockHeldByOps() {
    return cli.deployLock().tryAcquire(SERVICE, "ops", "database migration", Duration.ofMinutes(10)).orElseThrow();
  }

  /** Polls, 10 s at most, until {@code file} exists. */
  private static void awaitFile(Path file) throws InterruptedException {
    for (int i = 0; i < 200 && !Files.exists(file); i++) {
      Thread.sleep(50);
    }
    assertThat(file).as("written by the first rollout's restart").exists();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void secondRollWhileTheFirstRunsExitsFourNamingTheFirstAndDoesNothing(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String first = backend(200);
    String second = backend(200);
    Path started = directory.resolve("started");
    Path go = directory.resolve("go");
    String waitingRestart = "touch '" + started + "'; i=0; while [ ! -e '" + go + "' ] && [ $i -lt 400 ]; do sleep 0.05;"
        + " i=$((i+1)); done";
    CompletableFuture<Result> firstRoll = CompletableFuture.supplyAsync(() ->
        rollWith(waitingRestart, first, "--owner", "first"));
    awaitFile(started);

    Result secondRoll = roll(second, "--owner", "second");
    Files.createFile(go);

    assertThat(secondRoll.exit()).isEqualTo(ShuntCli.LOCK_HELD);
    assertThat(secondRoll.err()).startsWith("shunt: the deploy lock of checkout is held by 'first' (rollout checkout-")
        .contains(" until ", ", token ");
    assertThat(restarted()).isEmpty();
    assertThat(cli.store().status(cli.key(second)).shunted()).isFalse();
    assertThat(firstRoll.get(30, TimeUnit.SECONDS).exit()).isZero();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void lockHeldElsewhereExitsFourWithItsHolderReasonAndUntil(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String host = backend(200);
    LockGrant held = lockHeldByOps();
    cli.clock(Clock.fixed(held.expiresAt().minusSeconds(599), ZoneOffset.UTC));

    Result result = roll(host);

    assertThat(result.exit()).isEqualTo(ShuntCli.LOCK_HELD);
    assertThat(result.err()).isEqualTo("shunt: the deploy lock of checkout is held by 'ops' (database migration) until "
        + held.expiresAt() + ", token " + held.token() + "; nothing was done.\n"
        + "shunt: if that rollout still runs, let it end. If it crashed, wait until its lease ends at "
        + held.expiresAt() + " (in 9m59s), or release the lock now with:\n"
        + "  shunt --store " + cli.spec() + " --service checkout lock release --owner ops\n"
        + "shunt: roll --resume and roll --clean-up need the lock too: while it is held they exit 4 as well. Once it"
        + " is free, --resume skips the hosts that rollout finished, and --clean-up puts back in rotation the hosts"
        + " it left out.\n");
    assertThat(result.out()).isEmpty();
    assertThat(events()).isEmpty();
    assertThat(cli.store().shuntedInstances(SERVICE)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void noLockRollsWhileTheLockIsHeld(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String host = backend(200);
    lockHeldByOps();

    Result result = roll(host, "--no-lock");

    assertThat(result.exit()).isZero();
    assertThat(restarted()).containsExactly(host);
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void lockIsReleasedWhenTheRolloutEnds(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String host = backend(200);
    Path report = directory.resolve("report.json");

    Result result = roll(host, "--report", report.toString());

    assertThat(result.exit()).isZero();
    assertThat(Files.readString(report)).containsPattern("\"lockToken\":[1-9]");
    assertThat(cli.deployLock().holder(SERVICE)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void commandThatExitFourNamesReleasesTheStaleLockAndTheNextRollRuns(CliFixture.Store kind) throws Exception {
    useStore(kind);
    String host = backend(200);
    lockHeldByOps();
    Result refused = roll(host);
    String release = refused.err().lines().filter(line -> line.startsWith("  shunt ")).findFirst().orElseThrow();

    Result released = cli.run(release.substring("  shunt ".length()).split(" "));
    Result again = roll(host);

    assertThat(released.exit()).isZero();
    assertThat(released.out()).startsWith("checkout: released the deploy lock held by 'ops' (database migration)");
    assertThat(again.exit()).isZero();
    assertThat(restarted()).containsExactly(host);
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void ownerThatIsNoPlainShellWordIsQuotedInTheReleaseCommand(CliFixture.Store kind) throws Exception {
    useStore(kind);
    cli.deployLock().tryAcquire(SERVICE, "o'brien on ops-1", "hotfix", Duration.ofMinutes(10)).orElseThrow();

    Result result = roll(backend(200));

    assertThat(result.err()).contains(" lock release --owner 'o'\\''brien on ops-1'\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void cleanUpWhileTheLockIsHeldExitsFour(CliFixture.Store kind) {
    useStore(kind);
    lockHeldByOps();

    Result result = roll("web-1", "--clean-up");

    assertThat(result.exit()).isEqualTo(ShuntCli.LOCK_HELD);
    assertThat(result.err()).startsWith("shunt: the deploy lock of checkout is held by 'ops' (database migration)");
  }
}
