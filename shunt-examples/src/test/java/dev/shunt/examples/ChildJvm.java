package dev.shunt.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class of this test class path run in a JVM of its own, as a deploy tool runs beside the
 * fleet: its standard output and error go to files in a directory, so it never blocks on a full
 * pipe, and they stay there for a look after a failed test. Closing it kills it if it still runs.
 */
final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path out;
  private final Path err;

  private ChildJvm(String name, Process process, Path out, Path err) {
    this.name = name;
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code mainClass} with {@code args}; its output goes to {@code directory/name.out} and {@code .err}. */
  static ChildJvm start(Path directory, String name, Class<?> mainClass, List<String> args) {
    return start(directory, name, mainClass.getName(), args);
  }

  /** Starts the class named {@code mainClass} with {@code args}; as {@link #start(Path, String, Class, List)}. */
  static ChildJvm start(Path directory, String name, String mainClass, List<String> args) {
    return start(directory, name, mainClass, List.of(), args);
  }

  /** Starts the class named {@code mainClass} with {@code jvmOptions} (e.g. {@code -Xmx128m}) and {@code args}. */
  static ChildJvm start(Path directory, String name, String mainClass, List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // As the backends start: these JVMs live for seconds, so a quick start beats peak speed.
        "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", HaproxyRequirement.classpath(), mainClass));
    command.addAll(args);
    Path out = directory.resolve(name + ".out");
    Path err = directory.resolve(name + ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      process.getOutputStream().close();
      return new ChildJvm(name, process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** The name it was started with. */
  String name() {
    return name;
  }

  /** Its process id. */
  long pid() {
    return process.pid();
  }

  /** Whether it still runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends it SIGTERM, as {@code systemctl stop} or {@code kill} would; returns at once. */
  void terminate() {
    process.destroy();
  }

  /** Kills it with SIGKILL, as the kernel's OOM killer or {@code kill -9} would, and waits until it is gone. */
  void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  /** Waits for it to exit and returns its exit status; fails the test, saying what it printed, if it runs longer. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail(name + " did not exit within " + timeout + ":\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
    return process.exitValue();
  }

  /** What it wrote to standard output so far. */
  String out() {
    return read(out);
  }

  /** What it wrote to standard error so far. */
  String err() {
    return read(err);
  }

  /** Both, labelled, for assertion messages. */
  String output() {
    return "--- " + name + " (pid " + pid() + ") stdout\n" + out() + "--- stderr\n" + err();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
