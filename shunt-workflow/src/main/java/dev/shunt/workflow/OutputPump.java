package dev.shunt.workflow;

import dev.shunt.StepContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies a command's stdout and stderr into a step's log, line by line, each on a daemon thread,
 * and keeps the last lines of stderr for the failure message, each line masked with the command's
 * {@link Secrets}. Stops logging at {@link #close()}:
 * a background process that keeps the streams after the step ended is not logged under it.
 */
final class OutputPump {
  private static final int STDERR_LINES_KEPT = 5;

  private final AtomicBoolean open = new AtomicBoolean(true);
  private final Deque<String> lastErrors = new ArrayDeque<>();
  private final Thread stdout;
  private final Thread stderr;
  private final Secrets secrets;

  /** Starts copying both streams; {@code threadName} names the threads, e.g. after the host. */
  OutputPump(InputStream stdout, InputStream stderr, StepContext context, String threadName, Secrets secrets) {
    this.secrets = secrets;
    this.stdout = pump(stdout, context, null, threadName + "-stdout");
    this.stderr = pump(stderr, context, lastErrors, threadName + "-stderr");
  }

  /** Waits until both streams ended, but not past {@code deadlineNanos} ({@link System#nanoTime()}). */
  void awaitEnd(long deadlineNanos) throws InterruptedException {
    stdout.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    stderr.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
  }

  /** Stops logging: lines that arrive from now on are dropped. */
  void close() {
    open.set(false);
  }

  /** {@code ": line / line"} with the last lines of stderr, or {@code ""} when there were none. */
  String lastErrors() {
    synchronized (lastErrors) {
      return lastErrors.isEmpty() ? "" : ": " + String.join(" / ", lastErrors);
    }
  }

  private Thread pump(InputStream stream, StepContext context, Deque<String> keep, String name) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null && open.get()) {
          line = secrets.mask(line);
          context.log(line);
          if (keep != null) {
            synchronized (keep) {
              keep.addLast(line);
              if (keep.size() > STDERR_LINES_KEPT) {
                keep.removeFirst();
              }
            }
          }
        }
      } catch (IOException e) {
        if (open.get()) {
          context.log("(output lost: " + secrets.mask(e.getMessage()) + ")");
        }
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
