package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shunt.internal.FlagFileStatusStore;
import dev.shunt.testing.CapturedLog;
import dev.shunt.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ownership and mode model of the flag-file store: the deploy user and the app share a group;
 * every directory the store creates is setgid and group-writable, every file it creates
 * group-readable but the rollout journal, which only the deploy tool reads, whatever the umask.
 */
class FlagFileModesTest {
  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");

  @TempDir
  Path directory;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private StatusStore store;

  @BeforeEach
  void createStore() {
    store = StatusStore.flagFiles(directory, clock);
  }

  @Test
  void serviceDirectoryIsCreatedSetgidAndGroupWritable() throws IOException {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    assertThat(mode(directory.resolve("checkout"))).isEqualTo("2770");
  }

  @Test
  void storeDirectoryCreatedByTheStoreIsSetgidAndGroupWritable() throws IOException {
    Path store = directory.resolve("flags");

    StatusStore.flagFiles(store, clock).shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    assertThat(mode(store)).isEqualTo("2770");
  }

  @Test
  void dataFilesAreGroupReadable() throws IOException {
    store.setBudget("checkout", DisruptionBudget.parse("1"));
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));
    store.report(WEB_1, new CheckerReport("10.0.0.1", true, 1, clock.instant()));
    store.startMaintenance("checkout", MaintenanceFlag.of("upgrade", "alice", clock.instant()));
    DeployLock.flagFiles(directory, clock).tryAcquire("checkout", "ci-1", "release 42", Duration.ofMinutes(5));

    Path service = directory.resolve("checkout");
    for (String file : new String[] {"web-1.shunt", "web-1.checks", "web-1.host", "budget.txt", "maintenance.txt",
        "deploy.lock"}) {
      assertThat(mode(service.resolve(file))).as(file).isEqualTo("640");
    }
  }

  @Test
  void journalIsReadableByItsOwnerOnly() throws IOException {
    store.writeJournal("checkout", new JournalEntry("r1", "web-1", JournalEntry.State.STARTED, clock.instant(), ""));
    store.writeJournal("checkout", new JournalEntry("r1", "web-1", JournalEntry.State.DONE, clock.instant(), ""));

    assertThat(mode(directory.resolve("checkout/rollout.journal"))).isEqualTo("600");
  }

  @Test
  void lockFilesAreGroupWritableSoEveryUserOfTheStoreCanLockThem() throws IOException {
    store.setBudget("checkout", DisruptionBudget.parse("1"));
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));
    DeployLock.flagFiles(directory, clock).tryAcquire("checkout", "ci-1", "release 42", Duration.ofMinutes(5));

    assertThat(mode(directory.resolve("checkout/.budget.lock"))).isEqualTo("660");
    assertThat(mode(directory.resolve("checkout/.deploy.lock.lock"))).isEqualTo("660");
  }

  @Test
  void filesTakeTheGroupOfASetgidStoreDirectory() throws IOException {
    assumeRoot("only root may give a directory a group it is not in");
    GroupPrincipal nogroup = directory.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByGroupName("nogroup");
    Files.getFileAttributeView(directory, PosixFileAttributeView.class).setGroup(nogroup);
    Files.setAttribute(directory, "unix:mode", 02770);

    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    assertThat(Files.readAttributes(directory.resolve("checkout/web-1.shunt"),
        PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group()).isEqualTo(nogroup);
  }

  @Test
  void storeDirectoryOwnedByAnotherUserIsWarnedAbout() throws IOException {
    assumeRoot("only root may give a directory to another user");
    UserPrincipal nobody = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(directory, nobody);

    try (CapturedLog log = CapturedLog.of(FlagFileStatusStore.class)) {
      StatusStore.flagFiles(directory, clock);

      assertThat(log.messages()).singleElement().asString()
          .contains("belongs to nobody, neither root nor this process's user");
    }
  }

  static void assumeRoot(String why) {
    boolean root = "root".equals(System.getProperty("user.name"));
    assertTrue(root || !"true".equals(System.getenv("CI")), () -> "CI runs as root, but this is not: " + why);
    assumeTrue(root, () -> "not run as root: " + why);
  }

  private static String mode(Path path) throws IOException {
    return Integer.toOctalString((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
  }
}
