package dev.shunt.internal;

import dev.shunt.StoreException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * How the flag-file store and its deploy lock touch files, so that a store shared by users of
 * unequal rights (a deploy tool as root, an app as its own user) works for both and cannot be
 * turned against the stronger one.
 *
 * <ul>
 *   <li>No link is followed below the store directory: files are opened with
 *       {@link LinkOption#NOFOLLOW_LINKS}, a service directory that is a link is refused, and a
 *       file is created exclusively (a link planted in its place makes the call fail).
 *   <li>Only regular files are read, and at most {@link #MAX_FLAG_BYTES} of them: a FIFO, a
 *       device or a link is unreadable, never waited on or read without end.
 *   <li>Modes do not depend on the umask: directories this creates are {@code rwxrws---} (setgid, so
 *       every file in them gets the directory's group), data files {@code rw-r-----}, lock files
 *       {@code rw-rw----}, the rollout journal {@code rw-------}.
 * </ul>
 *
 * <p>What remains: a file replaced by a FIFO between the check and the open still blocks that
 * open; only a user who may write the service directory can do that, and it stops the caller
 * without changing anything. Stateless and thread-safe.
 */
final class StoreFiles {
  /** The most a flag, report, budget or lock file may hold; a larger one is unreadable. */
  static final int MAX_FLAG_BYTES = 64 * 1024;
  /** The most a rollout journal may hold, about 80,000 lines. */
  static final int MAX_JOURNAL_BYTES = 8 * 1024 * 1024;
  /** Flags, reports, budget, maintenance, known hosts, deploy lock: the group reads them. */
  static final int DATA_FILE_MODE = 0640;
  /**
   * The rollout journal: only the deploy tools read and write it, never the app, and it tells
   * everything a rollout did (its hosts' failures, the restart's errors), so it is its owner's alone.
   */
  static final int JOURNAL_FILE_MODE = 0600;
  /** Lock files: every user of the store locks them, which takes write access. */
  static final int LOCK_FILE_MODE = 0660;
  /** Store and service directories this creates: the group works in them, new files inherit the group. */
  static final int DIRECTORY_MODE = 02770;

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private StoreFiles() {}

  /**
   * The content of the regular file {@code file}, at most {@code maxBytes}, decoded leniently as
   * UTF-8.
   *
   * @throws NoSuchFileException if it is missing
   * @throws FileSystemException if it is a link, a FIFO, a device or a directory, or larger
   */
  static String read(Path file, int maxBytes) throws IOException {
    requireRegular(file, maxBytes);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, NOFOLLOW)) {
      ByteBuffer buffer = ByteBuffer.allocate(maxBytes + 1);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // Reads until the end or one byte past the cap.
      }
      if (!buffer.hasRemaining()) {
        throw tooLarge(file, maxBytes);
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The attributes of {@code file}, checked to be a regular file (not a link) of at most
   * {@code maxBytes}.
   *
   * @throws NoSuchFileException if it is missing
   * @throws FileSystemException naming what else it is
   */
  static BasicFileAttributes requireRegular(Path file, int maxBytes) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW);
    if (attributes.isSymbolicLink()) {
      throw new FileSystemException(file.toString(), null, "is a symbolic link, which the store never follows");
    }
    if (!attributes.isRegularFile()) {
      throw new FileSystemException(file.toString(), null, "is not a regular file but a "
          + (attributes.isDirectory() ? "directory" : "FIFO, socket or device") + ", which the store never reads");
    }
    if (attributes.size() > maxBytes) {
      throw tooLarge(file, maxBytes);
    }
    return attributes;
  }

  private static FileSystemException tooLarge(Path file, int maxBytes) {
    return new FileSystemException(file.toString(), null, "is larger than " + maxBytes / 1024
        + " KiB, more than the store ever writes there");
  }

  /**
   * Makes sure {@code directory}, a directory of the store, exists and is no link: creates it (and
   * the missing directories above it) with {@link #DIRECTORY_MODE}.
   *
   * @throws StoreException if it, or a directory above it up to {@code storeDirectory}, is a link
   *     or not a directory, or cannot be created
   */
  static void ensureDirectory(Path storeDirectory, Path directory) {
    try {
      ensure(storeDirectory, directory);
    } catch (IOException e) {
      throw new StoreException("cannot create the flag-file directory " + directory + ": " + e, e, false);
    }
  }

  private static void ensure(Path storeDirectory, Path directory) throws IOException {
    if (directoryOrMissing(storeDirectory, directory)) {
      return;
    }
    Path parent = directory.getParent();
    if (parent != null && !directory.equals(storeDirectory)) {
      ensure(storeDirectory, parent);
    } else if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(directory);
      setMode(directory, DIRECTORY_MODE);
    } catch (FileAlreadyExistsException e) {
      // Made meanwhile by another process: checked below.
    }
    directoryOrMissing(storeDirectory, directory);
  }

  /**
   * Refuses {@code directory} if it is a link (a service directory, e.g., that a user who may
   * write the store directory replaced) or not a directory. The store directory itself may be a
   * link: its path is the operator's choice ({@code /var/run} is a link on most systems).
   *
   * @throws StoreException if it is a link or not a directory, or cannot be read
   */
  static void requireDirectoryOrMissing(Path storeDirectory, Path directory) {
    try {
      directoryOrMissing(storeDirectory, directory);
    } catch (IOException e) {
      throw new StoreException("cannot read the flag-file directory " + directory + ": " + e, e, false);
    }
  }

  /** Whether {@code directory} exists; false if missing, a {@link StoreException} if a link or no directory. */
  private static boolean directoryOrMissing(Path storeDirectory, Path directory) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(directory, BasicFileAttributes.class,
          directory.equals(storeDirectory) ? new LinkOption[0] : new LinkOption[] {NOFOLLOW});
    } catch (NoSuchFileException e) {
      return false;
    }
    if (attributes.isSymbolicLink()) {
      throw new StoreException("refusing the flag-file directory " + directory
          + ": it is a symbolic link, which the store never follows (it could send writes anywhere);"
          + " replace it with a directory", null, false);
    }
    if (!attributes.isDirectory()) {
      throw new StoreException("refusing the flag-file directory " + directory + ": it is not a directory", null,
          false);
    }
    return true;
  }

  /**
   * Opens {@code file} to lock it, creating it with {@link #LOCK_FILE_MODE} if missing; never
   * through a link, never a file that is not regular.
   */
  static FileChannel openLockFile(Path file) throws IOException {
    return openForWriting(file, LOCK_FILE_MODE, StandardOpenOption.WRITE);
  }

  /**
   * Appends {@code text} to the journal {@code file} in one write, creating it with
   * {@link #JOURNAL_FILE_MODE} if missing; never through a link, never to a file that is not regular.
   */
  static void append(Path file, String text) throws IOException {
    try (FileChannel channel = openForWriting(file, JOURNAL_FILE_MODE, StandardOpenOption.APPEND)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }

  /**
   * Creates the empty file {@code file} with {@link #DATA_FILE_MODE}.
   *
   * @throws FileAlreadyExistsException if something, a link too, is there already
   */
  static void createEmpty(Path file) throws IOException {
    FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    setMode(file, DATA_FILE_MODE);
  }

  private static FileChannel openForWriting(Path file, int mode, OpenOption how) throws IOException {
    try {
      // Created no wider than its mode (the umask may narrow it), then set to it exactly.
      FileChannel created = Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")
          ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, how),
              PosixFilePermissions.asFileAttribute(permissions(mode)))
          : FileChannel.open(file, StandardOpenOption.CREATE_NEW, how);
      try {
        setMode(file, mode);
      } catch (IOException e) {
        created.close();
        throw e;
      }
      return created;
    } catch (FileAlreadyExistsException e) {
      // Checked before the open, so that a FIFO is never opened (which would block).
      requireRegular(file, Integer.MAX_VALUE);
      return FileChannel.open(file, how, NOFOLLOW);
    }
  }

  /**
   * Replaces {@code file} with {@code fields} in {@link Properties} form, mode
   * {@link #DATA_FILE_MODE}: written aside to a file created exclusively, then renamed over it
   * (which replaces a link rather than following it), so a reader sees the old content or the
   * new, never a part.
   *
   * @throws StoreException if it cannot be written
   */
  static void writeAtomically(Path storeDirectory, Path file, String comment, Properties fields) {
    ensureDirectory(storeDirectory, file.getParent());
    try {
      StringWriter text = new StringWriter();
      fields.store(text, comment);
      Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try {
        setMode(temp, DATA_FILE_MODE);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, NOFOLLOW)) {
          ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
          while (bytes.hasRemaining()) {
            channel.write(bytes);
          }
        }
        try {
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new StoreException("cannot write " + file + ": " + e, e, false);
    }
  }

  /**
   * Sets the mode of a file or directory this just created, whatever the umask; through a
   * descriptor opened without following links, so a link swapped in meanwhile fails the call
   * instead of changing its target. Does nothing on a file system without POSIX modes.
   */
  /** The permission bits of {@code mode} (setgid and sticky left out). */
  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values();  // OWNER_READ (0400) first, OTHERS_EXECUTE (01) last
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        permissions.add(bits[i]);
      }
    }
    return permissions;
  }

  static void setMode(Path path, int mode) throws IOException {
    if (Files.getFileStore(path).supportsFileAttributeView("unix")) {
      Files.setAttribute(path, "unix:mode", mode, NOFOLLOW);
    }
  }

  /**
   * Checks the store directory, if it exists, before the store uses it.
   *
   * @return a warning to log, or empty: the directory belongs to a user other than root and the
   *     one running this, who could replace anything in it
   * @throws StoreException if every user may write it: anyone on the host could shunt, unshunt
   *     or take the deploy lock
   */
  static Optional<String> checkStoreDirectory(Path directory) {
    PosixFileAttributes attributes;
    try {
      if (!Files.getFileStore(directory).supportsFileAttributeView("posix")) {
        return Optional.empty();
      }
      attributes = Files.readAttributes(directory, PosixFileAttributes.class);
    } catch (IOException e) {
      // Missing, or not reachable: the store's calls say so, naming the file each needs.
      return Optional.empty();
    }
    if (attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new StoreException("refusing the flag-file directory " + directory + ": every user may write it (mode "
          + PosixFilePermissions.toString(attributes.permissions()) + "), so anyone on the host could shunt,"
          + " unshunt or take the deploy lock; 'chmod o-w' it and share it through a group"
          + " (see 'Flag files' in docs/HEALTH.md)", null, false);
    }
    String owner = attributes.owner().getName();
    if (!owner.equals("root") && !owner.equals(System.getProperty("user.name"))) {
      return Optional.of("the flag-file directory " + directory + " belongs to " + owner
          + ", neither root nor this process's user (" + System.getProperty("user.name") + "): " + owner
          + " can change every flag in it; let root or the deploy user own it (see 'Flag files' in docs/HEALTH.md)");
    }
    return Optional.empty();
  }
}
