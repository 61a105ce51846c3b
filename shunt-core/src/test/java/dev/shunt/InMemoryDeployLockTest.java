package dev.shunt;

import dev.shunt.testing.DeployLockContract;
import java.time.Clock;
import java.util.List;

/** The {@link DeployLock} contract, kept by {@link DeployLock#inMemory}: one lock, shared by every thread. */
class InMemoryDeployLockTest extends DeployLockContract {
  @Override
  protected List<DeployLock> newLockViews(Clock clock) {
    DeployLock lock = DeployLock.inMemory(clock);
    return List.of(lock, lock, lock);
  }
}
