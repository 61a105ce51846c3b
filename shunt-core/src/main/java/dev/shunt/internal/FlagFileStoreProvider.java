package dev.shunt.internal;

import dev.shunt.DeployLock;
import dev.shunt.OpenedStore;
import dev.shunt.StatusStore;
import dev.shunt.StatusStoreProvider;
import dev.shunt.StoreException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The built-in {@code file:} scheme of {@link dev.shunt.StatusStores}: flag files under a
 * directory, {@code file:/var/run/shunt}, {@code file:relative/dir} or {@code file:///var/run/shunt};
 * its deploy lock is {@link DeployLock#flagFiles(Path)} on the same directory.
 */
public final class FlagFileStoreProvider implements StatusStoreProvider {
  private static final String SCHEME = "file:";

  @Override
  public String scheme() {
    return "file";
  }

  @Override
  public String example() {
    return "file:/var/run/shunt";
  }

  @Override
  public OpenedStore open(String spec) {
    String path = spec.substring(SCHEME.length());
    if (path.startsWith("//")) {
      if (!path.startsWith("///")) {
        throw malformed(spec, "file:// must be followed by an absolute path (file:///var/run/shunt):"
            + " flag files are on this machine, not on a host");
      }
      path = path.substring(2);
    }
    if (path.isEmpty()) {
      throw malformed(spec, "it names no directory, e.g. " + example());
    }
    Path directory;
    try {
      directory = Path.of(path);
    } catch (InvalidPathException e) {
      throw malformed(spec, e.getMessage());
    }
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new StoreException("cannot use " + directory.toAbsolutePath() + " for flag files (store spec '" + spec
          + "'): it is not a directory", null, false);
    }
    return OpenedStore.of(StatusStore.flagFiles(directory), DeployLock.flagFiles(directory));
  }

  private static IllegalArgumentException malformed(String spec, String problem) {
    return new IllegalArgumentException("store spec '" + spec + "' is malformed: " + problem);
  }
}
