package dev.shunt.internal;

import dev.shunt.ShuntException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the flag-file store and lock need to change files safely with other processes on the host:
 * whole-file replacement by rename, and actions run holding an exclusive lock on a file, so that
 * a read-decide-write on other files is one step for every process. The operating system's file
 * lock is held per JVM, so the threads of this JVM first queue on a monitor per lock file, shared
 * by every caller.
 */
final class FileLocks {
  private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

  private FileLocks() {}

  /**
   * Runs {@code action} holding the lock on {@code lockFile} (created if missing).
   *
   * @param purpose what the lock is for, for the error message
   * @throws ShuntException if the file cannot be created or locked
   */
  static <T> T holding(Path lockFile, String purpose, Supplier<T> action) {
    Path file = lockFile.toAbsolutePath().normalize();
    synchronized (MONITORS.computeIfAbsent(file, path -> new Object())) {
      try {
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
          return action.get();
        }
      } catch (IOException e) {
        throw new ShuntException("cannot lock " + file + " to " + purpose, e);
      }
    }
  }

  /**
   * Replaces {@code file} with {@code fields} in {@link Properties} form: written aside, then
   * renamed over it, so a reader sees the old content or the new, never a part.
   *
   * @throws ShuntException if it cannot be written
   */
  static void writeAtomically(Path file, String comment, Properties fields) {
    try {
      Files.createDirectories(file.getParent());
      StringWriter text = new StringWriter();
      fields.store(text, comment);
      Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try {
        Files.writeString(temp, text.toString(), StandardCharsets.UTF_8);
        try {
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new ShuntException("cannot write " + file, e);
    }
  }
}
