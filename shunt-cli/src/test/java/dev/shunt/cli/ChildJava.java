package dev.shunt.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * What the tests of shunt as a user's dependency share: the jars a user's build resolves for
 * shunt-workflow and shunt-hazelcast (failsafe's {@code shunt.bundled}), {@code javac} in this JVM,
 * and {@code java} in a child JVM.
 */
final class ChildJava {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private ChildJava() {}

  /** What one run of javac or java returned and printed. */
  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** The runtime class path of shunt-workflow and shunt-hazelcast: shunt's three jars and what they pull. */
  static List<Path> resolvedJars() {
    String bundled = System.getProperty("shunt.bundled");
    if (bundled == null || bundled.isBlank()) {
      fail("the system property shunt.bundled is not set: run this test through Maven (failsafe)");
    }
    return Arrays.stream(bundled.split(File.pathSeparator)).map(Path::of).toList();
  }

  static String pathOf(List<Path> jars) {
    return String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
  }

  /** The sources under the test resource directory {@code name} (copied to target/test-classes). */
  static List<String> sources(String name) {
    try {
      Path root = Path.of(ChildJava.class.getClassLoader().getResource(name).toURI());
      try (Stream<Path> files = Files.walk(root)) {
        return files.filter(file -> file.toString().endsWith(".java")).map(Path::toString).sorted().toList();
      }
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot list the test sources in " + name, e);
    }
  }

  /**
   * javac in this JVM. Without a {@code --class-path} of its own it would take this JVM's, which holds
   * shunt's classes outside any module: callers pass one.
   */
  static Run javac(List<String> args) {
    ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = javac.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  static Run java(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("java-out", ".txt");
      err = Files.createTempFile("java-err", ".txt");
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      // The shunt command reads these when no option says otherwise: a developer's own must not leak in.
      builder.environment().remove("SHUNT_STORE");
      builder.environment().remove("SHUNT_SERVICE");
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail(command + " did not finish within " + TIMEOUT + ":\n" + Files.readString(out) + Files.readString(err));
      }
      return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a leftover temporary file does no harm
      }
    }
  }
}
