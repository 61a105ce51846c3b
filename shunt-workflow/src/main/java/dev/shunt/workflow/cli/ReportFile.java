package dev.shunt.workflow.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * {@code roll --report FILE}, {@code roll --report-html FILE}, {@code report-html -o FILE}: a file only its owner may read (0600 on POSIX), never written
 * through a symbolic link, since a report may name hosts, commands and failures others should
 * not read, and a link planted by another user would make shunt overwrite the file it points to.
 */
final class ReportFile {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<OpenOption> OPEN = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
      StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);

  private ReportFile() {}

  /**
   * Why {@code file}, given as {@code option}, cannot be the report, or empty when it can: checked
   * before the rollout starts.
   */
  static Optional<String> problem(String option, Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      return Optional.of(option + " names " + file + ", whose directory does not exist");
    }
    if (Files.isSymbolicLink(file)) {
      return Optional.of(option + " names " + file + ", a symbolic link: the report is never written through a link;"
          + " remove it or name another file");
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(option + " names " + file + ", which is not a regular file");
    }
    return Optional.empty();
  }

  /**
   * Creates or truncates {@code file} without following a link (a link there fails the write), makes
   * it readable by its owner only, then writes {@code text}.
   */
  static void write(Path file, String text) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    try (SeekableByteChannel channel = Files.newByteChannel(file, OPEN, attributes)) {
      if (posix) {
        // an existing file keeps its mode when it is opened: narrow it before the report goes in
        Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setPermissions(OWNER_ONLY);
      }
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }
}
