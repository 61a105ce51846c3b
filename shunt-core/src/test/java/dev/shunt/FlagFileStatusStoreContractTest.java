package dev.shunt;

import java.nio.file.Path;
import dev.shunt.testing.StatusStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The {@link StatusStore} contract, kept by {@link StatusStore#flagFiles(Path, Clock)}. */
class FlagFileStatusStoreContractTest extends StatusStoreContract {
  @TempDir
  Path directory;

  @Override
  protected StatusStore newStore(Clock clock) {
    return StatusStore.flagFiles(directory, clock);
  }
}
