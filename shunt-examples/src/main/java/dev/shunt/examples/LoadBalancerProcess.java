package dev.shunt.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A load balancer run as a child process of the tests (Caddy, Varnish, nginx): found on the PATH,
 * started in the foreground with its output in a log file, waited for until it accepts
 * connections, stopped with its child processes. Not thread-safe.
 */
final class LoadBalancerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final String name;
  private final Process process;
  private final Path log;

  private LoadBalancerProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** The executable {@code name} on the PATH, or in /usr/sbin or /usr/local/sbin, if installed. */
  static Optional<Path> executable(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin";
    return Arrays.stream(path.split(":"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Runs {@code command} with {@code environment} added to this one's, its output to {@code log};
   * returns once 127.0.0.1:{@code port} accepts connections, or fails with the log after 20 s or
   * when the process exits.
   */
  static LoadBalancerProcess start(String name, List<String> command, Map<String, String> environment,
      int port, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    LoadBalancerProcess started = new LoadBalancerProcess(name, builder.start(), log);
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!accepts(port)) {
      if (!started.process.isAlive() || Instant.now().isAfter(deadline)) {
        started.close();
        throw new IOException(name + " did not start on port " + port + "; its log " + log + " says: "
            + Files.readString(log));
      }
      Haproxy.sleep(Duration.ofMillis(50));
    }
    return started;
  }

  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The process id. */
  long pid() {
    return process.pid();
  }

  /** The file its output goes to. */
  Path log() {
    return log;
  }

  /** Whether it still runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** Stops it (SIGTERM, then SIGKILL after 5 s) and every process it started. */
  @Override
  public void close() {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }
}
