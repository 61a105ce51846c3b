package dev.shunt;

import dev.shunt.internal.CheckerReportRules;
import dev.shunt.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the flag-file store adds to the contract: files that operators and other processes write. */
class FlagFileStatusStoreTest {
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant TOUCHED = Instant.parse("2026-11-20T08:30:00Z");
  private static final InstanceKey WEB_1 = InstanceKey.of("checkout", "web-1");
  private static final InstanceKey WEB_2 = InstanceKey.of("checkout", "web-2");

  @TempDir
  Path directory;

  private final MutableClock clock = new MutableClock(START);
  private StatusStore store;
  private Path flag;

  @BeforeEach
  void createStore() throws IOException {
    store = StatusStore.flagFiles(directory, clock);
    flag = directory.resolve("checkout").resolve("web-1.shunt");
    Files.createDirectories(flag.getParent());
  }

  private void writeFlag(String content, Instant modified) throws IOException {
    writeFlag(content.getBytes(StandardCharsets.UTF_8), modified);
  }

  private void writeFlag(byte[] content, Instant modified) throws IOException {
    Files.write(flag, content);
    Files.setLastModifiedTime(flag, FileTime.from(modified));
  }

  @Test
  void shuntWritesTheFlagAtServiceSlashHostDotShunt() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    assertThat(flag).isRegularFile();
  }

  @Test
  void unshuntRemovesTheFlag() {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));

    store.unshunt(WEB_1);

    assertThat(flag).doesNotExist();
  }

  @Test
  void flagRemovedByHandPutsTheKeyBackInRotation() throws IOException {
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));
    assertThat(store.status(WEB_1).shunted()).isTrue();

    Files.delete(flag);

    assertThat(store.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void emptyFlagMadeByHandIsAShuntSinceItsModificationTime() throws IOException {
    writeFlag("", TOUCHED);

    assertThat(store.status(WEB_1)).isEqualTo(new ShuntStatus(true, "", "", TOUCHED, null));
  }

  @Test
  void flagWrittenByHandWithEveryFieldIsReadAsWritten() throws IOException {
    writeFlag("reason=db migration\nowner=carol\nsince=2026-11-23T09:00:00Z\nexpires=2026-11-23T11:00:00Z\n",
        TOUCHED);

    assertThat(store.status(WEB_1)).isEqualTo(new ShuntStatus(true, "db migration", "carol",
        Instant.parse("2026-11-23T09:00:00Z"), Instant.parse("2026-11-23T11:00:00Z")));
  }

  @Test
  void flagWrittenByHandExpiresAtItsExpiry() throws IOException {
    writeFlag("reason=db migration\nexpires=2026-11-23T11:00:00Z\n", TOUCHED);

    clock.advance(Duration.ofHours(1));

    assertThat(store.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void flagWithGarbageIsAShuntWithNoDetails() throws IOException {
    writeFlag("\\uZZZZ this is not a properties file", TOUCHED);

    assertThat(store.status(WEB_1)).isEqualTo(new ShuntStatus(true, "", "", TOUCHED, null));
  }

  @Test
  void flagWithMalformedSinceIsAShuntSinceItsModificationTime() throws IOException {
    writeFlag("reason=db migration\nsince=yesterday\n", TOUCHED);

    assertThat(store.status(WEB_1)).isEqualTo(new ShuntStatus(true, "db migration", "", TOUCHED, null));
  }

  @Test
  void flagWithMalformedExpiryIsAShuntThatNeverExpires() throws IOException {
    writeFlag("reason=db migration\nexpires=soon\n", TOUCHED);

    clock.advance(Duration.ofDays(30));

    assertThat(store.status(WEB_1)).isEqualTo(new ShuntStatus(true, "db migration", "", TOUCHED, null));
  }

  @Test
  void flagWithBytesThatAreNotUtf8IsStillAShunt() throws IOException {
    byte[] latin1 = "reason=Wartung für Kunden\n".getBytes(StandardCharsets.ISO_8859_1);
    writeFlag(latin1, TOUCHED);

    assertThat(store.status(WEB_1).shunted()).isTrue();
  }

  // A flag path the store cannot read may hold a shunt: refused with a StoreException that names
  // the file and why, rather than read as "in rotation" (see FlagFileLinksTest).
  @Test
  void flagPathTakenByADirectoryIsRefused() throws IOException {
    Files.createDirectory(flag);

    assertThatThrownBy(() -> store.status(WEB_1))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot read shunt flag " + flag + ": is not a regular file but a directory");
  }

  @Test
  void flagPathTakenByADirectoryFailsTheListingOfShunts() throws IOException {
    Files.createDirectory(flag);

    assertThatThrownBy(() -> store.shuntedInstances("checkout"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot read shunt flag " + flag);
  }

  @Test
  void serviceDirectoryTakenByAFileIsRefused() throws IOException {
    Files.delete(flag.getParent());
    Files.writeString(flag.getParent(), "not a directory");

    assertThatThrownBy(() -> store.status(WEB_1))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot read shunt flag " + flag)
        .hasMessageContaining("refusing the flag-file directory " + flag.getParent() + ": it is not a directory");
  }

  // Every file the store cannot use fails with a StoreException, as a Hazelcast store's failure
  // does, so that a retry policy treats the same failure the same on every store; a file that is
  // malformed or not regular fails the same way every time, so it is not retryable.

  @Test
  void malformedBudgetRefusesTheShuntWithAStoreExceptionThatIsNotRetryable() throws IOException {
    Files.writeString(flag.resolveSibling("budget.txt"), "maxUnavailable=lots\n");

    assertThatThrownBy(() -> store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot read the disruption budget " + flag.resolveSibling("budget.txt"))
        .satisfies(e -> assertThat(((StoreException) e).retryable()).as("retryable").isFalse());
    assertThat(flag).doesNotExist();
  }

  @Test
  void journalPathTakenByADirectoryFailsWithAStoreExceptionThatIsNotRetryable() throws IOException {
    Path journal = Files.createDirectory(flag.resolveSibling("rollout.journal"));

    assertThatThrownBy(() -> store.journal("checkout"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot read the rollout journal " + journal)
        .hasMessageContaining("is not a regular file but a directory")
        .satisfies(e -> assertThat(((StoreException) e).retryable()).as("retryable").isFalse());
  }

  @Test
  void reportKeepsTheStoreProblemItsResponderMetOnOneLine() {
    CheckerReport unreadable = new CheckerReport("10.0.0.1", false, 13, TOUCHED, 0, false,
        "cannot read shunt flag " + flag + ":\npermission denied");
    store.report(WEB_1, unreadable);

    assertThat(store.reports(WEB_1)).containsExactly(unreadable);
    assertThat(unreadable.storeProblem()).isEqualTo("cannot read shunt flag " + flag + ": permission denied");
  }

  @Test
  void strayFileWhoseNameIsNoHostDoesNotHideTheOtherShunts() throws IOException {
    ShuntStatus shunted = store.shunt(WEB_2, ShuntRequest.of("deploy 42", "alice"));
    Files.writeString(flag.resolveSibling(".#web-1.shunt"), "an editor's lock file");

    assertThat(store.shuntedInstances("checkout")).containsOnly(entry(WEB_2, shunted));
  }

  @Test
  void malformedReportsFileReadsAsNoReports() throws IOException {
    Files.writeString(flag.resolveSibling("web-1.checks"), "10.0.0.1=sideways\n\\uZZZZ");

    assertThat(store.reports(WEB_1)).isEmpty();
  }

  @Test
  void reportsFileWrittenBeforeInFlightAndAtOnceWereAddedIsRead() throws IOException {
    Files.writeString(flag.resolveSibling("web-1.checks"),
        "10.0.0.1=down 3 " + START + "\n10.0.0.2=up 2 " + START + " 4\n");

    assertThat(store.reports(WEB_1)).containsExactlyInAnyOrder(
        new CheckerReport("10.0.0.1", true, 3, START, CheckerReportRules.IN_FLIGHT_UNKNOWN, false),
        new CheckerReport("10.0.0.2", false, 2, START, 4, false));
  }

  @Test
  void agentReportIsWrittenAsALineEndingInAtOnce() throws IOException {
    store.report(WEB_1, new CheckerReport("agent:10.0.0.1", true, 1, START, 0, true));

    // Properties escape every ':' of a key or value.
    assertThat(Files.readAllLines(flag.resolveSibling("web-1.checks")))
        .contains("agent\\:10.0.0.1=down 1 " + START.toString().replace(":", "\\:") + " 0 at-once");
  }

  @Test
  void reportReplacesAMalformedReportsFile() throws IOException {
    Files.writeString(flag.resolveSibling("web-1.checks"), "10.0.0.1=sideways\n");
    CheckerReport report = new CheckerReport("10.0.0.1", true, 1, START);

    store.report(WEB_1, report);

    assertThat(store.reports(WEB_1)).containsExactly(report);
  }

  @Test
  void flagEditedInPlaceToAnotherSizeIsSeenOnTheNextRead() throws IOException {
    writeFlag("reason=a\n", TOUCHED);
    assertThat(store.status(WEB_1).reason()).isEqualTo("a");

    writeFlag("reason=longer\n", TOUCHED);

    assertThat(store.status(WEB_1).reason()).isEqualTo("longer");
  }

  @Test
  void flagEditedInPlaceToTheSameSizeIsSeenOnTheNextReadByItsModificationTime() throws IOException {
    writeFlag("reason=aa\n", TOUCHED);
    assertThat(store.status(WEB_1).reason()).isEqualTo("aa");

    writeFlag("reason=bb\n", TOUCHED.plusSeconds(1));

    assertThat(store.status(WEB_1).reason()).isEqualTo("bb");
  }

  @Test
  void flagReplacedByAnotherFileOfTheSameSizeAndTimeIsSeenOnTheNextRead() throws IOException {
    writeFlag("reason=aa\n", TOUCHED);
    assertThat(store.status(WEB_1).reason()).isEqualTo("aa");
    Path replacement = flag.resolveSibling("replacement");
    Files.writeString(replacement, "reason=bb\n");
    Files.setLastModifiedTime(replacement, FileTime.from(TOUCHED));

    Files.move(replacement, flag, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    assertThat(store.status(WEB_1).reason()).isEqualTo("bb");
  }

  @Test
  void shuntMadeByAnotherProcessIsSeen() {
    StatusStore otherProcess = StatusStore.flagFiles(directory, clock);
    assertThat(store.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());

    ShuntStatus shunted =
        otherProcess.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice").withTtl(Duration.ofMinutes(10)));

    assertThat(store.status(WEB_1)).isEqualTo(shunted);
  }

  @Test
  void renewalMadeByAnotherProcessIsSeen() {
    StatusStore otherProcess = StatusStore.flagFiles(directory, clock);
    otherProcess.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));
    assertThat(store.status(WEB_1).reason()).isEqualTo("deploy 42");

    otherProcess.shunt(WEB_1, ShuntRequest.of("deploy 43", "bob"));

    assertThat(store.status(WEB_1)).isEqualTo(new ShuntStatus(true, "deploy 43", "bob", START, null));
  }

  @Test
  void unshuntMadeByAnotherProcessIsSeen() {
    StatusStore otherProcess = StatusStore.flagFiles(directory, clock);
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));
    assertThat(otherProcess.status(WEB_1).shunted()).isTrue();

    store.unshunt(WEB_1);

    assertThat(otherProcess.status(WEB_1)).isEqualTo(ShuntStatus.inRotation());
  }

  @Test
  void reportsMadeByAnotherProcessAreSeen() {
    StatusStore otherProcess = StatusStore.flagFiles(directory, clock);
    store.shunt(WEB_1, ShuntRequest.of("deploy 42", "alice"));
    CheckerReport report = new CheckerReport("10.0.0.1", true, 3, START);

    otherProcess.report(WEB_1, report);

    assertThat(store.reports(WEB_1)).containsExactly(report);
  }
}
