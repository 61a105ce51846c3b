package dev.shunt.internal;

import dev.shunt.StoreException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Actions run holding an exclusive lock on a file, so that a read-decide-write on other files is
 * one step for every process on the host. The operating system's file lock is held per JVM, so
 * the threads of this JVM first queue on a monitor per lock file, shared by every caller. Lock
 * files are opened as {@link StoreFiles} opens files: never through a link.
 */
final class FileLocks {
  private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

  private FileLocks() {}

  /**
   * Runs {@code action} holding the lock on {@code lockFile} (created if missing, with
   * {@link StoreFiles#LOCK_FILE_MODE}), a file in a directory of the store {@code storeDirectory}.
   *
   * @param purpose what the lock is for, for the error message
   * @throws StoreException if the file cannot be created or locked, or is a link or not a regular
   *     file; {@linkplain StoreException#retryable() retryable} only if the lock call itself failed
   *     ({@link #lockFailure})
   */
  static <T> T holding(Path storeDirectory, Path lockFile, String purpose, Supplier<T> action) {
    Path file = lockFile.toAbsolutePath().normalize();
    synchronized (MONITORS.computeIfAbsent(file, path -> new Object())) {
      StoreFiles.ensureDirectory(storeDirectory, lockFile.getParent());
      try (FileChannel channel = StoreFiles.openLockFile(lockFile)) {
        FileLock lock;
        try {
          lock = channel.lock();
        } catch (IOException e) {
          throw lockFailure(file, purpose, e);
        }
        try (lock) {
          return action.get();
        }
      } catch (IOException e) {
        throw new StoreException("cannot lock " + file + " to " + purpose + ": " + e, e, false);
      }
    }
  }

  /**
   * The failure of the lock call on a lock file that could be opened: retryable, as what stopped
   * it can pass by itself (a network file system with no locks available for now, a deadlock the
   * kernel broke between processes locking in opposite orders), unless the thread was interrupted,
   * which is never retried. A lock file that cannot be opened (permission denied, a link, not a
   * regular file) fails the same way every time and is not retryable.
   */
  static StoreException lockFailure(Path file, String purpose, IOException e) {
    boolean interrupted = e instanceof FileLockInterruptionException || e instanceof ClosedByInterruptException;
    return new StoreException("cannot lock " + file + " to " + purpose + ": " + e, e, !interrupted);
  }
}
