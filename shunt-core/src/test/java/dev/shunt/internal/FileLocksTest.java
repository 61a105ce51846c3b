package dev.shunt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.StoreException;
import java.io.IOException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flag-file store's lock files fail as a Hazelcast store does: with a {@link StoreException}
 * that says whether the failure can pass by itself.
 */
class FileLocksTest {
  @TempDir
  Path directory;

  @Test
  void runsTheActionHoldingTheLock() {
    Path lockFile = directory.resolve("checkout/.budget.lock");

    assertThat(FileLocks.holding(directory, lockFile, "check the budget", () -> "done")).isEqualTo("done");
    assertThat(lockFile).isRegularFile();
  }

  @Test
  void lockFileThatCannotBeOpenedIsAStoreExceptionThatIsNotRetryable() throws IOException {
    Path lockFile = Files.createDirectories(directory.resolve("checkout/.budget.lock"));

    assertThatThrownBy(() -> FileLocks.holding(directory, lockFile, "check the budget", () -> "done"))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot lock " + lockFile + " to check the budget")
        .hasMessageContaining("is not a regular file but a directory")
        .satisfies(e -> assertThat(((StoreException) e).retryable()).as("retryable").isFalse());
  }

  // The lock call itself fails when what it waits on gives way: no locks available on a network
  // file system for now, a deadlock the kernel broke between processes. Neither can be made to
  // happen on demand, so the verdict is checked on the exceptions the JDK throws for them.

  @Test
  void lockCallThatFailedIsRetryable() {
    Path file = directory.resolve(".budget.lock");

    StoreException failure = FileLocks.lockFailure(file, "check the budget", new IOException("No locks available"));

    assertThat(failure.retryable()).isTrue();
    assertThat(failure).hasMessage("cannot lock " + file + " to check the budget: java.io.IOException: No locks"
        + " available").hasCauseInstanceOf(IOException.class);
  }

  @Test
  void lockCallThatWasInterruptedIsNotRetryable() {
    StoreException failure = FileLocks.lockFailure(directory.resolve(".budget.lock"), "check the budget",
        new FileLockInterruptionException());

    assertThat(failure.retryable()).isFalse();
  }
}
