package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.internal.FlagFileStatusStore;
import dev.shunt.testing.CapturedLog;
import dev.shunt.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the flag-file store adds to the maintenance contract: {@code <service>/maintenance.txt},
 * which operators make with {@code touch} and edit by hand, read leniently.
 */
class FlagFileMaintenanceTest {
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant TOUCHED = Instant.parse("2026-11-23T09:30:00Z");

  @TempDir
  Path directory;

  private final MutableClock clock = new MutableClock(START);
  private StatusStore store;
  private Path file;

  @BeforeEach
  void createStore() throws IOException {
    store = StatusStore.flagFiles(directory, clock);
    file = directory.resolve("checkout").resolve("maintenance.txt");
    Files.createDirectories(file.getParent());
  }

  private void writeFile(String content, Instant modified) throws IOException {
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.from(modified));
  }

  @Test
  void startMaintenanceWritesServiceSlashMaintenanceTxt() {
    store.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", START));

    assertThat(file).isRegularFile();
    assertThat(file.getParent()).isDirectoryContaining(path -> path.equals(file));
  }

  @Test
  void startMaintenanceLeavesNoTemporaryFileBehind() throws IOException {
    store.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", START));

    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void endMaintenanceRemovesTheFile() {
    store.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", START));

    store.endMaintenance("checkout");

    assertThat(file).doesNotExist();
  }

  @Test
  void fileRemovedByHandEndsMaintenance() throws IOException {
    store.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", START));
    assertThat(store.maintenance("checkout")).isPresent();

    Files.delete(file);

    assertThat(store.maintenance("checkout")).isEmpty();
  }

  @Test
  void emptyFileMadeByTouchIsMaintenanceWithNoReasonSinceItsModificationTime() throws IOException {
    writeFile("", TOUCHED);

    assertThat(store.maintenance("checkout")).contains(MaintenanceFlag.of("", "", TOUCHED));
  }

  @Test
  void fileWrittenByHandWithEveryFieldIsReadAsWritten() throws IOException {
    writeFile("""
        reason=Database upgrade, back at 11:00
        owner=carol
        since=2026-11-23T09:45:00Z
        until=2026-11-23T11:00:00Z
        allowedPath.10=/status
        allowedPath.2=/robots\\\\.txt
        allowedPath.1=/assets/.*
        allowedClient.1=10.1.0.0/16
        allowedClient.2=2001:db8::/32
        """, TOUCHED);

    assertThat(store.maintenance("checkout")).contains(
        MaintenanceFlag.of("Database upgrade, back at 11:00", "carol", Instant.parse("2026-11-23T09:45:00Z"))
            .withUntil(Instant.parse("2026-11-23T11:00:00Z"))
            .withAllowedPaths("/assets/.*", "/robots\\.txt", "/status")
            .withAllowedClients("10.1.0.0/16", "2001:db8::/32"));
  }

  @Test
  void fileWrittenByHandEndsAtItsUntil() throws IOException {
    writeFile("until=2026-11-23T11:00:00Z\n", TOUCHED);

    clock.advance(Duration.ofHours(1));

    assertThat(store.maintenance("checkout")).isEmpty();
  }

  @Test
  void malformedSinceIsLeftOutAndMaintenanceSinceTheModificationTimeStaysOn() throws IOException {
    writeFile("reason=database upgrade\nsince=this morning\n", TOUCHED);

    assertThat(store.maintenance("checkout")).contains(MaintenanceFlag.of("database upgrade", "", TOUCHED));
  }

  @Test
  void malformedUntilIsLeftOutAndMaintenanceStaysOnWithoutEnd() throws IOException {
    writeFile("reason=database upgrade\nuntil=soon\n", TOUCHED);

    clock.advance(Duration.ofDays(30));

    assertThat(store.maintenance("checkout")).contains(MaintenanceFlag.of("database upgrade", "", TOUCHED));
  }

  @Test
  void allowedPathThatIsNoRegularExpressionIsLeftOutAndTheOthersKept() throws IOException {
    writeFile("allowedPath.1=/assets/.*\nallowedPath.2=/[unclosed\nallowedPath.3=/robots.txt\n", TOUCHED);

    assertThat(store.maintenance("checkout")).contains(
        MaintenanceFlag.of("", "", TOUCHED).withAllowedPaths("/assets/.*", "/robots.txt"));
  }

  @Test
  void allowedClientThatIsNoAddressIsLeftOutAndTheOthersKept() throws IOException {
    writeFile("allowedClient.1=office\nallowedClient.2=10.0.0.0/8\nallowedClient.3=10.0.0.0/99\n", TOUCHED);

    assertThat(store.maintenance("checkout")).contains(
        MaintenanceFlag.of("", "", TOUCHED).withAllowedClients("10.0.0.0/8"));
  }

  @Test
  void untilNotAfterSinceKeepsUntilAndTakesSinceAsJustBeforeIt() throws IOException {
    writeFile("since=2026-11-23T12:00:00Z\nuntil=2026-11-23T11:00:00Z\n", TOUCHED);

    assertThat(store.maintenance("checkout")).contains(MaintenanceFlag.of("", "", Instant.parse("2026-11-23T11:00:00Z")
        .minusNanos(1)).withUntil(Instant.parse("2026-11-23T11:00:00Z")));
  }

  @Test
  void fileThatIsNoPropertiesFileIsMaintenanceWithNoDetails() throws IOException {
    writeFile("\\uZZZZ this is not a properties file", TOUCHED);

    assertThat(store.maintenance("checkout")).contains(MaintenanceFlag.of("", "", TOUCHED));
  }

  @Test
  void fileThatCannotBeReadIsMaintenanceOff() throws IOException {
    Files.createDirectory(file);

    assertThat(store.maintenance("checkout")).isEmpty();
  }

  @Test
  void malformedEntriesAreLoggedOnceNotOnEveryRead() throws IOException {
    writeFile("reason=database upgrade\nsince=this morning\nallowedPath.1=/[unclosed\ncolour=red\n", TOUCHED);

    try (CapturedLog log = CapturedLog.of(FlagFileStatusStore.class)) {
      store.maintenance("checkout");
      store.maintenance("checkout");
      store.maintenance("checkout");

      assertThat(log.messages()).satisfiesExactlyInAnyOrder(
          message -> assertThat(message).contains("unknown entry 'colour'"),
          message -> assertThat(message).contains("malformed 'since' (this morning)"),
          message -> assertThat(message).contains("allowed path '/[unclosed' is no regular expression"));
    }
  }

  @Test
  void malformedEntryIsLoggedAgainAfterTheFileChanged() throws IOException {
    writeFile("since=this morning\n", TOUCHED);
    try (CapturedLog log = CapturedLog.of(FlagFileStatusStore.class)) {
      store.maintenance("checkout");

      writeFile("since=this morning\nreason=x\n", TOUCHED.plusSeconds(1));
      store.maintenance("checkout");

      assertThat(log.messages()).hasSize(2);
    }
  }

  @Test
  void fileEditedInPlaceToTheSameSizeIsSeenOnTheNextRead() throws IOException {
    writeFile("reason=aa\n", TOUCHED);
    assertThat(store.maintenance("checkout")).map(MaintenanceFlag::reason).contains("aa");

    writeFile("reason=bb\n", TOUCHED.plusSeconds(1));

    assertThat(store.maintenance("checkout")).map(MaintenanceFlag::reason).contains("bb");
  }

  @Test
  void maintenanceStartedAndEndedByAnotherProcessIsSeen() {
    StatusStore otherProcess = StatusStore.flagFiles(directory, clock);
    assertThat(store.maintenance("checkout")).isEmpty();
    MaintenanceFlag flag = MaintenanceFlag.of("database upgrade", "ops", START).withAllowedPaths("/assets/.*");

    otherProcess.startMaintenance("checkout", flag);
    Optional<MaintenanceFlag> whileOn = store.maintenance("checkout");
    otherProcess.endMaintenance("checkout");

    assertThat(whileOn).contains(flag);
    assertThat(store.maintenance("checkout")).isEmpty();
  }

  @Test
  void maintenanceFileIsNoShuntedHost() {
    store.startMaintenance("checkout", MaintenanceFlag.of("database upgrade", "ops", START));

    assertThat(store.shuntedInstances("checkout")).isEmpty();
  }

  @Test
  void serviceThatIsNoNameIsRefusedRatherThanResolvedAsAPath() {
    assertThatThrownBy(() -> store.startMaintenance("../etc", MaintenanceFlag.of("", "", START)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service must be 1 to 200 of the characters [A-Za-z0-9._:-], and not '.' or '..', was '../etc'");
    assertThat(directory.resolve("etc")).doesNotExist();
  }
}
