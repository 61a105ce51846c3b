package dev.shunt.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The processes a test's commands start, found by a marker unique to the test in their
 * environment or arguments, by a scan of {@code /proc} (Linux only): whatever their parent,
 * session or group. After each test it kills every one still alive, so that a failing test leaks
 * none. Register with {@code @RegisterExtension}.
 */
final class MarkedProcesses implements AfterEachCallback {
  private static final Path PROC = Path.of("/proc");

  private final String marker = "shunt-test-" + UUID.randomUUID();

  /** The marker: put it in the environment or the arguments of every process to be found. */
  String marker() {
    return marker;
  }

  /** Every live process (not a zombie) with the marker, each as {@code PID (command line)}. */
  List<String> alive() throws IOException {
    byte[] wanted = marker.getBytes(StandardCharsets.US_ASCII);
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, entry -> entry.getFileName().toString().matches("[0-9]+"))) {
      for (Path entry : entries) {
        // stat last and only for a match: it is the costly one (it sums over the threads).
        byte[] commandLine = readOrEmpty(entry.resolve("cmdline"));
        if ((contains(commandLine, wanted) || contains(readOrEmpty(entry.resolve("environ")), wanted))
            && !isZombie(entry)) {
          found.add(entry.getFileName() + " (" + new String(commandLine, StandardCharsets.UTF_8).replace('\0', ' ').trim() + ")");
        }
      }
    }
    return found;
  }

  /** Kills every live process with the marker, looking again until none is left (at most 10 s). */
  void killAll() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<String> alive = alive();
    while (!alive.isEmpty() && System.nanoTime() < deadline) {
      for (String process : alive) {
        ProcessHandle.of(Long.parseLong(process.substring(0, process.indexOf(' '))))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
      Thread.sleep(10);
      alive = alive();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    killAll();
  }

  private static boolean isZombie(Path entry) {
    String stat = new String(readOrEmpty(entry.resolve("stat")), StandardCharsets.ISO_8859_1);
    int close = stat.lastIndexOf(')');
    return close < 0 || close + 2 >= stat.length() || "ZXx".indexOf(stat.charAt(close + 2)) >= 0;
  }

  private static byte[] readOrEmpty(Path file) {
    if (!Files.isReadable(file)) {
      return new byte[0]; // another user's
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return new byte[0]; // gone meanwhile, or another user's
    }
  }

  private static boolean contains(byte[] bytes, byte[] wanted) {
    outer:
    for (int start = 0; start + wanted.length <= bytes.length; start++) {
      for (int i = 0; i < wanted.length; i++) {
        if (bytes[start + i] != wanted[i]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
