package dev.shunt;

import dev.shunt.testing.StatusStoreContract;
import java.time.Clock;

/** The {@link StatusStore} contract, kept by {@link StatusStore#inMemory(Clock)}. */
class InMemoryStatusStoreContractTest extends StatusStoreContract {

  @Override
  protected StatusStore newStore(Clock clock) {
    return StatusStore.inMemory(clock);
  }
}
