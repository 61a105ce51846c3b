package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.shunt.internal.FlagFileStatusStore;
import dev.shunt.testing.CapturedLog;
import dev.shunt.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who may write a service directory (the app, which writes its checker reports there)
 * cannot turn the store against a stronger user (a deploy tool running as root): no link is
 * followed, only regular files are read, and reads are capped.
 */
class FlagFileLinksTest {
  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");
  /** Generous: a read that does not block takes milliseconds; one that blocks never ends. */
  private static final Duration NEVER_BLOCKS = Duration.ofSeconds(20);

  @TempDir
  Path directory;
  @TempDir
  Path elsewhere;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private StatusStore store;
  private Path serviceDir;
  private Path victim;

  @BeforeEach
  void createStore() throws IOException {
    store = StatusStore.flagFiles(directory, clock);
    serviceDir = Files.createDirectories(directory.resolve("checkout"));
    victim = elsewhere.resolve("victim");
  }

  @Test
  void journalThatIsALinkToAFileIsNotAppendedTo() throws IOException {
    Files.writeString(victim, "root's file\n");
    Files.createSymbolicLink(serviceDir.resolve("rollout.journal"), victim);

    assertThatThrownBy(() -> store.writeJournal("checkout", entry()))
        .isInstanceOf(StoreException.class).hasMessageContaining("rollout.journal").satisfies(FlagFileLinksTest::notRetryable);

    assertThat(victim).hasContent("root's file");
  }

  @Test
  void journalThatIsALinkToNothingCreatesNothing() throws IOException {
    Files.createSymbolicLink(serviceDir.resolve("rollout.journal"), victim);

    assertThatThrownBy(() -> store.writeJournal("checkout", entry())).isInstanceOf(StoreException.class)
        .satisfies(FlagFileLinksTest::notRetryable);

    assertThat(victim).doesNotExist();
  }

  @Test
  void budgetLockThatIsALinkCreatesNothing() throws IOException {
    store.setBudget("checkout", DisruptionBudget.parse("1"));
    Files.createSymbolicLink(serviceDir.resolve(".budget.lock"), victim);

    assertThatThrownBy(() -> store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice")))
        .isInstanceOf(StoreException.class).hasMessageContaining(".budget.lock").satisfies(FlagFileLinksTest::notRetryable);

    assertThat(victim).doesNotExist();
    assertThat(store.status(WEB_1).shunted()).isFalse();
  }

  @Test
  void deployLockGuardThatIsALinkCreatesNothing() throws IOException {
    Files.createSymbolicLink(serviceDir.resolve(".deploy.lock.lock"), victim);
    DeployLock lock = DeployLock.flagFiles(directory, clock);

    assertThatThrownBy(() -> lock.tryAcquire("checkout", "ci-1", "release 42", Duration.ofMinutes(5)))
        .isInstanceOf(StoreException.class).hasMessageContaining(".deploy.lock.lock")
        .satisfies(FlagFileLinksTest::notRetryable);

    assertThat(victim).doesNotExist();
  }

  @Test
  void deployLockThatIsALinkIsNotRead() throws IOException {
    Files.writeString(victim, "lastToken=7\nowner=\n");
    Files.createSymbolicLink(serviceDir.resolve("deploy.lock"), victim);

    assertThatThrownBy(() -> DeployLock.flagFiles(directory, clock).holder("checkout"))
        .isInstanceOf(StoreException.class).hasMessageContaining("symbolic link").satisfies(FlagFileLinksTest::notRetryable);
  }

  @Test
  void flagThatIsALinkIsNotReplacedThroughIt() throws IOException {
    Files.writeString(victim, "root's file\n");
    Files.createSymbolicLink(serviceDir.resolve("web-1.shunt"), victim);

    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    assertThat(victim).hasContent("root's file");
    assertThat(serviceDir.resolve("web-1.shunt")).isRegularFile();
  }

  @Test
  void linkedServiceDirectoryIsRefusedForWrites() throws IOException {
    Files.delete(serviceDir);
    Files.createSymbolicLink(serviceDir, elsewhere);

    assertThatThrownBy(() -> store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("refusing the flag-file directory " + serviceDir)
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> store.startMaintenance("checkout", MaintenanceFlag.of("upgrade", "alice", clock.instant())))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.writeJournal("checkout", entry())).isInstanceOf(StoreException.class);

    try (var files = Files.list(elsewhere)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void linkedServiceDirectoryIsNotDeletedFromThrough() throws IOException {
    Files.writeString(elsewhere.resolve("rollout.journal"), "someone else's journal\n");
    Files.delete(serviceDir);
    Files.createSymbolicLink(serviceDir, elsewhere);

    assertThatThrownBy(() -> store.clearJournal("checkout")).isInstanceOf(StoreException.class);

    assertThat(elsewhere.resolve("rollout.journal")).exists();
  }

  // A shunt flag the store cannot read may be a shunt: reading it is refused with a StoreException
  // naming the file, the reason and the fix, never answered "in rotation" (which made `shunt status`
  // say "in rotation" and hid the problem in a log). The responder still answers "up" and says why.

  @Test
  void flagInALinkedServiceDirectoryIsRefused() throws IOException {
    Files.writeString(elsewhere.resolve("web-1.shunt"), "reason=planted\n");
    Files.delete(serviceDir);
    Files.createSymbolicLink(serviceDir, elsewhere);

    assertThatThrownBy(() -> store.status(WEB_1))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot read shunt flag " + serviceDir.resolve("web-1.shunt"))
        .hasMessageContaining("refusing the flag-file directory " + serviceDir)
        .hasMessageContaining("symbolic link");
  }

  @Test
  void flagThatIsAFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = serviceDir.resolve("web-1.shunt");
    mkfifo(fifo);

    assertTimeoutPreemptively(NEVER_BLOCKS, () -> {
      assertThatThrownBy(() -> store.status(WEB_1))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("cannot read shunt flag " + fifo + ": is not a regular file but a")
          .hasMessageContaining("it may be set")
          .hasMessageContaining("'Flag files' in docs/HEALTH.md")
          .satisfies(e -> assertThat(((StoreException) e).retryable()).as("retryable").isFalse());
      assertThatThrownBy(() -> store.shuntedInstances("checkout"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("cannot read shunt flag " + fifo);
    });
  }

  @Test
  void maintenanceFlagThatIsAFifoReadsAsOffWithoutBlocking() throws Exception {
    mkfifo(serviceDir.resolve("maintenance.txt"));

    assertTimeoutPreemptively(NEVER_BLOCKS, () -> assertThat(store.maintenance("checkout")).isEmpty());
  }

  @Test
  void journalAndLockThatAreFifosFailWithoutBlocking() throws Exception {
    mkfifo(serviceDir.resolve("rollout.journal"));
    mkfifo(serviceDir.resolve(".deploy.lock.lock"));
    DeployLock lock = DeployLock.flagFiles(directory, clock);

    assertTimeoutPreemptively(NEVER_BLOCKS, () -> {
      assertThatThrownBy(() -> store.writeJournal("checkout", entry())).isInstanceOf(StoreException.class)
          .satisfies(FlagFileLinksTest::notRetryable);
      assertThatThrownBy(() -> store.journal("checkout")).isInstanceOf(StoreException.class)
          .satisfies(FlagFileLinksTest::notRetryable);
      assertThatThrownBy(() -> lock.tryAcquire("checkout", "ci-1", "release 42", Duration.ofMinutes(5)))
          .isInstanceOf(StoreException.class).satisfies(FlagFileLinksTest::notRetryable);
    });
  }

  @Test
  void flagLinkedToDevZeroIsRefusedWithoutRunningOutOfMemory() throws IOException {
    Files.createSymbolicLink(serviceDir.resolve("web-1.shunt"), Path.of("/dev/zero"));

    assertTimeoutPreemptively(NEVER_BLOCKS, () -> assertThatThrownBy(() -> store.status(WEB_1))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot read shunt flag " + serviceDir.resolve("web-1.shunt"))
        .hasMessageContaining("symbolic link"));
  }

  @Test
  void reportsLinkedToDevZeroReadAsNoReports() throws IOException {
    Files.createSymbolicLink(serviceDir.resolve("web-1.checks"), Path.of("/dev/zero"));

    assertTimeoutPreemptively(NEVER_BLOCKS, () -> assertThat(store.reports(WEB_1)).isEmpty());
  }

  @Test
  void flagLargerThan64KiBIsUnreadable() throws IOException {
    Path flag = serviceDir.resolve("web-1.shunt");
    Files.writeString(flag, "reason=" + "x".repeat(64 * 1024));

    assertThatThrownBy(() -> store.status(WEB_1))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot read shunt flag " + flag)
        .hasMessageContaining("larger than 64 KiB");
  }

  // A maintenance flag the store cannot read still reads as off (requests are served as usual), and
  // is logged: the throttled warning that unreadable shunt flags had is the maintenance flag's now.
  @Test
  void unreadableMaintenanceFlagIsLoggedAtMostOnceAMinuteWithTheCountOfTheOthers() throws Exception {
    mkfifo(serviceDir.resolve("maintenance.txt"));

    try (CapturedLog log = CapturedLog.of(FlagFileStatusStore.class)) {
      store.maintenance("checkout");
      store.maintenance("checkout");
      store.maintenance("checkout");
      clock.advance(Duration.ofMinutes(1));
      store.maintenance("checkout");

      assertThat(log.messages()).satisfiesExactly(
          first -> assertThat(first).contains("cannot read maintenance flag " + serviceDir.resolve("maintenance.txt"))
              .contains("requests are served as usual").contains("'Flag files' in docs/HEALTH.md"),
          second -> assertThat(second).contains("2 more since the last"));
    }
  }

  @Test
  void storeDirectoryThatEveryUserMayWriteIsRefused() throws IOException {
    Files.setAttribute(directory, "unix:mode", 01777);

    assertThatThrownBy(() -> StatusStore.flagFiles(directory, clock))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("every user may write it")
        .hasMessageContaining("chmod o-w");
    assertThatThrownBy(() -> DeployLock.flagFiles(directory, clock)).isInstanceOf(StoreException.class);
  }

  private JournalEntry entry() {
    return new JournalEntry("r1", "web-1", JournalEntry.State.STARTED, clock.instant(), "");
  }

  private static void mkfifo(Path path) throws IOException, InterruptedException {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).as("mkfifo finished").isTrue();
    assertThat(mkfifo.exitValue()).as("mkfifo's exit status").isZero();
  }

  /** A file the store refuses fails the same way every time: a retry policy must not try it again. */
  private static void notRetryable(Throwable e) {
    assertThat(((ShuntException) e).retryable()).as("retryable").isFalse();
  }
}
