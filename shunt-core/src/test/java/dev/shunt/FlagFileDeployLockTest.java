package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.testing.DeployLockContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link DeployLock} contract, kept by {@link DeployLock#flagFiles}: separate lock objects on
 * one directory, as separate processes on a host would have.
 */
class FlagFileDeployLockTest extends DeployLockContract {
  @TempDir
  Path directory;

  @Override
  protected List<DeployLock> newLockViews(Clock clock) {
    return List.of(DeployLock.flagFiles(directory, clock), DeployLock.flagFiles(directory, clock),
        DeployLock.flagFiles(directory, clock));
  }

  @Test
  void lockFileSaysWhoHoldsIt() throws IOException {
    DeployLock.flagFiles(directory, clock).tryAcquire("checkout", "ci-1", "release 42", Duration.ofMinutes(5));

    assertThat(Files.readString(directory.resolve("checkout/deploy.lock")))
        .contains("owner=ci-1").contains("reason=release 42").contains("lastToken=1");
  }

  @Test
  void malformedLockFileIsAnErrorNotAFreeLock() throws IOException {
    Files.createDirectories(directory.resolve("checkout"));
    Files.writeString(directory.resolve("checkout/deploy.lock"), "lastToken=seven\nowner=ci-1\n");

    assertThatThrownBy(() -> DeployLock.flagFiles(directory, clock)
        .tryAcquire("checkout", "ci-2", "release 43", Duration.ofMinutes(5)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("checkout/deploy.lock is malformed")
        .hasMessageContaining("remove it only if no deploy of the service is running")
        .satisfies(e -> assertThat(((StoreException) e).retryable()).as("retryable").isFalse());
  }
}
