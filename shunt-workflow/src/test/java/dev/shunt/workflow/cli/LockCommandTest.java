package dev.shunt.workflow.cli;

import static dev.shunt.workflow.cli.CliFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.LockGrant;
import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code shunt lock show|release}: the deploy lock that {@code roll} takes, and a stale one taken back on purpose. */
class LockCommandTest {
  private static final Duration LEASE = Duration.ofMinutes(10);

  @TempDir
  Path directory;

  private static LockGrant heldBy(CliFixture cli, String owner) {
    return cli.deployLock().tryAcquire(SERVICE, owner, "rollout checkout-7", LEASE).orElseThrow();
  }

  private static String held(LockGrant grant) {
    return "held by '" + grant.owner() + "' (" + grant.reason() + ") until " + grant.expiresAt() + ", token "
        + grant.token();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void showSaysTheLockIsFree(CliFixture.Store kind) {
    Result result = CliFixture.on(kind, directory).runOnService("lock", "show");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("checkout: deploy lock free\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void showNamesTheHolderItsReasonUntilWhenAndItsToken(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    LockGrant grant = heldBy(cli, "alice@ops-1");

    Result result = cli.runOnService("lock", "show");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("checkout: deploy lock " + held(grant) + "\n");
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void releaseTakesTheLockFromTheNamedOwnerAndSaysWhatItReleased(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    LockGrant grant = heldBy(cli, "alice@ops-1");

    Result result = cli.runOnService("lock", "release", "--owner", "alice@ops-1");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("checkout: released the deploy lock " + held(grant) + "\n");
    assertThat(result.err()).isEmpty();
    assertThat(cli.deployLock().holder(SERVICE)).isEmpty();
    assertThat(cli.deployLock().renew(grant, LEASE)).as("the released holder's renewal").isFalse();
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void releaseOfAnotherOwnersLockExitsFourAndReleasesNothing(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    LockGrant grant = heldBy(cli, "bob@ops-2");

    Result result = cli.runOnService("lock", "release", "--owner", "alice@ops-1");

    assertThat(result.exit()).isEqualTo(ShuntCli.LOCK_HELD);
    assertThat(result.err()).isEqualTo("shunt: the deploy lock of checkout is " + held(grant)
        + ", not by 'alice@ops-1'; nothing was released\n");
    assertThat(result.out()).isEmpty();
    assertThat(cli.deployLock().holder(SERVICE)).contains(grant);
  }

  @ParameterizedTest
  @EnumSource(CliFixture.Store.class)
  void releaseOfAFreeLockExitsSix(CliFixture.Store kind) {
    CliFixture cli = CliFixture.on(kind, directory);
    cli.deployLock().release(heldBy(cli, "alice@ops-1"));

    Result result = cli.runOnService("lock", "release", "--owner", "alice@ops-1");

    assertThat(result.exit()).isEqualTo(ShuntCli.LOCK_FREE);
    assertThat(result.err()).isEqualTo("shunt: the deploy lock of checkout is free (released, or its lease ended),"
        + " not held by 'alice@ops-1'; nothing was released\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void releaseWithoutAnOwnerIsAUsageError() {
    CliFixture cli = CliFixture.on(CliFixture.Store.IN_MEMORY, directory);
    LockGrant grant = heldBy(cli, "alice@ops-1");

    Result result = cli.runOnService("lock", "release");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).isEqualTo("shunt: Missing required option: '--owner=OWNER'\n"
        + "Try 'shunt lock release --help' for usage.\n");
    assertThat(cli.deployLock().holder(SERVICE)).contains(grant);
  }

  @Test
  void releaseWithABlankOwnerIsAUsageError() {
    Result result = CliFixture.on(CliFixture.Store.IN_MEMORY, directory)
        .runOnService("lock", "release", "--owner", " ");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).isEqualTo("shunt: owner must not be blank, was ' '\n"
        + "Try 'shunt lock release --help' for usage.\n");
  }

  @Test
  void storeWithoutADeployLockIsAUsageError() {
    Result result = CliFixture.withoutDeployLock().runOnService("lock", "show");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).isEqualTo("shunt: the store memory: offers no deploy lock\n"
        + "Try 'shunt lock show --help' for usage.\n");
  }

  @Test
  void lockWithoutASubcommandPrintsItsUsageAsAUsageError() {
    Result result = CliFixture.on(CliFixture.Store.IN_MEMORY, directory).runOnService("lock");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("Usage: shunt lock ");
  }
}
