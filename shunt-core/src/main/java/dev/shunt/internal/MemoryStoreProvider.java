package dev.shunt.internal;

import dev.shunt.DeployLock;
import dev.shunt.OpenedStore;
import dev.shunt.StatusStore;
import dev.shunt.StatusStoreProvider;

/**
 * The built-in {@code memory:} scheme of {@link dev.shunt.StatusStores}: a new in-memory store per
 * open, with a new in-memory deploy lock.
 */
public final class MemoryStoreProvider implements StatusStoreProvider {

  @Override
  public String scheme() {
    return "memory";
  }

  @Override
  public String example() {
    return "memory:";
  }

  @Override
  public OpenedStore open(String spec) {
    if (!spec.equalsIgnoreCase("memory:")) {
      throw new IllegalArgumentException("store spec '" + spec + "' is malformed: memory: takes nothing after"
          + " the colon (each open is a new, empty store)");
    }
    return OpenedStore.of(StatusStore.inMemory(), DeployLock.inMemory());
  }
}
