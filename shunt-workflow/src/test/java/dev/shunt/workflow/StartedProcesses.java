package dev.shunt.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Processes a test's commands start and announce through a PID file: found with
 * {@link #pidIn}, checked with {@link #goneWithin}, and killed after each test whatever happened.
 * Register with {@code @RegisterExtension}.
 */
final class StartedProcesses implements AfterEachCallback {
  private final List<Long> pids = new CopyOnWriteArrayList<>();

  /** Waits up to {@code wait} until {@code file} holds a PID, and remembers it for clean-up. */
  long pidIn(Path file, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        String text = Files.readString(file).trim();
        if (!text.isEmpty()) {
          long pid = Long.parseLong(text);
          pids.add(pid);
          return pid;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no PID written to " + file);
  }

  /** Whether the process is gone within {@code grace} (a killed process needs a moment to be reaped). */
  static boolean goneWithin(long pid, Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isEmpty() || !handle.get().isAlive()) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    pids.clear();
  }
}
