package dev.shunt;

import java.time.Clock;

/** The {@link StatusStore} contract, kept by {@link StatusStore#inMemory(Clock)}. */
class InMemoryStatusStoreContractTest extends StatusStoreContract {

  @Override
  StatusStore newStore(Clock clock) {
    return StatusStore.inMemory(clock);
  }
}
